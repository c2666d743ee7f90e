-- wrk script of bench/lookup.py: GET <BENCH_PATH>?MHS=<code>&SGT=<identity> with a random line of
-- BENCH_PAIRS (tab-separated code and identity; about 10 % are wrong pairs). Counts what the answers
-- say (a result, the generic "not found", or something else) and prints one JSON line in done().

local pairs_file = os.getenv("BENCH_PAIRS")
local path = os.getenv("BENCH_PATH")
local paths = {}
local threads = {}

-- Per thread (globals, so that done() can read them with thread:get).
found, not_found, other = 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(pairs_file) do
    local code, identity = line:match("^([^\t]+)\t([^\t]+)")
    if code then
      paths[#paths + 1] = path .. "?MHS=" .. code .. "&SGT=" .. identity
    end
  end
  math.randomseed(os.time() + #threads)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if body == "found" or (status == 200 and body:find('id="result-title"', 1, true)) then
    found = found + 1
  elseif body == "not found" or (status == 200 and body:find("notice-warn", 1, true)) then
    not_found = not_found + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local f, n, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    f = f + thread:get("found")
    n = n + thread:get("not_found")
    o = o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"found": %d, "not_found": %d, "other": %d, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    f, n, o,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)))
end
