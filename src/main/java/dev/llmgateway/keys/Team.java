package dev.llmgateway.keys;

/** A team's limits, shared by every key that names the team. */
record Team(String name, Limits limits, long revision) {
}
