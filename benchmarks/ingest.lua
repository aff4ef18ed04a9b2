-- wrk script: POST observations with fresh UUIDs; prints latency percentiles as JSON at the end.
-- WALK_PATH and TOKEN come from the environment (set by benchmarks/ingest.py).
local path = os.getenv("WALK_PATH")
local token = os.getenv("TOKEN")
local counter = 0

function setup(thread)
  thread:set("seed", math.random(1, 2^30))
end

function init(args)
  math.randomseed(seed + os.time())
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"id":"%s","category":"lighting","rating":"red","note":"wrk %d","lon":%.6f,"lat":%.6f,' ..
    '"accuracy_m":8,"recorded_at":"2026-11-24T18:00:00+00:00"}',
    uuid4(), counter, 18.0600 + math.random() * 0.01, 59.3300 + math.random() * 0.005)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"errors":%d,"non_2xx":%d,' ..
    '"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
