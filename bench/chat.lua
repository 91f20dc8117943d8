-- wrk script: the same realistic chat request, direct or via the gateway (streamed when BENCH_STREAM is set);
-- prints percentiles as one JSON line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- BENCH_HEADERS="Name: value;Name: value" adds headers (a peer gateway's routing headers)
for name, value in (os.getenv("BENCH_HEADERS") or ""):gmatch("([^:;]+):%s*([^;]+)") do wrk.headers[name] = value end
-- BENCH_API=messages sends the same question as Anthropic's Messages API asks it
if os.getenv("BENCH_API") == "messages" then
   wrk.headers["anthropic-version"] = "2023-06-01"
   wrk.body = [[{"model":"]] .. (os.getenv("BENCH_MODEL") or "bench") .. [[","max_tokens":64,"system":"You are a concise assistant.","messages":[{"role":"user","content":"What is the capital of France? Answer in one sentence."}],"temperature":0.2]] .. (os.getenv("BENCH_STREAM") and [[,"stream":true}]] or "}")
else
   wrk.body = [[{"model":"]] .. (os.getenv("BENCH_MODEL") or "bench") .. [[","messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"What is the capital of France? Answer in one sentence."}],"temperature":0.2,"max_tokens":64]] .. (os.getenv("BENCH_STREAM") and [[,"stream":true}]] or "}")
end

function done(summary, latency, requests)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
   io.write(string.format('RESULT {"requests":%d,"seconds":%.3f,"errors":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\n',
      summary.requests, summary.duration / 1e6, errors, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
