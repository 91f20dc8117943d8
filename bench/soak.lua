-- wrk script for the soak: a steady mix of answers, streams, fallbacks and injected errors, counted by status.
-- Per 20 requests: 13 plain (10 ms upstream), 3 streamed, 3 falling back past a failing provider, 1 to a model
-- whose only provider fails (502 expected: the injected error).
local mix = {}
local function body(model, stream)
   return '{"model":"' .. model .. '",' .. (stream and '"stream":true,' or '') ..
      '"messages":[{"role":"user","content":"What is the capital of France? Answer in one sentence."}],"max_tokens":64}'
end
for i = 1, 13 do mix[#mix + 1] = {"plain", body("bench10", false)} end
for i = 1, 3 do mix[#mix + 1] = {"stream", body("bench0", true)} end
for i = 1, 3 do mix[#mix + 1] = {"fallback", body("fallback", false)} end
mix[#mix + 1] = {"injected", body("broken", false)}

local threads = {}
function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   sent = {plain = 0, stream = 0, fallback = 0, injected = 0}
   statuses = {}
   n = 0
end

function request()
   n = n + 1
   local pick = mix[(n - 1) % #mix + 1]
   sent[pick[1]] = sent[pick[1]] + 1
   return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, pick[2])
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals, codes = {plain = 0, stream = 0, fallback = 0, injected = 0}, {}
   for _, thread in ipairs(threads) do
      local s = thread:get("sent")
      for k, v in pairs(s) do totals[k] = totals[k] + v end
      for code, count in pairs(thread:get("statuses")) do codes[tostring(code)] = (codes[tostring(code)] or 0) + count end
   end
   local parts = {}
   for code, count in pairs(codes) do parts[#parts + 1] = string.format('"%s":%d', code, count) end
   io.write(string.format('SOAK {"requests":%d,"seconds":%.3f,"socket_errors":%d,"p50":%d,"p99":%d,"sent":{"plain":%d,"stream":%d,"fallback":%d,"injected":%d},"statuses":{%s}}\n',
      summary.requests, summary.duration / 1e6,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(50), latency:percentile(99),
      totals.plain, totals.stream, totals.fallback, totals.injected, table.concat(parts, ",")))
end
