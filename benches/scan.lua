-- wrk script for the scan rush (`cargo bench --bench load` runs it): every code in the file named
-- by MARQUEE_SCAN_CODES (one "code screening_id" per line) is scanned once, as door staff with
-- MARQUEE_DOOR_TOKEN. Thread k of MARQUEE_WRK_THREADS takes lines k, k + threads, … and stops
-- once each of its scans is answered, leaving a file `<codes>.done<k>` (the benchmark then stops
-- wrk, which would wait out its whole duration). The rate is timed here: from the first request
-- to the last answer, with a monotonic clock (LuaJIT's FFI).
-- Prints one JSON line: first scans answered, by status and verdict, the span and the latency
-- percentiles (wrk's, which include the few requests sent after a thread's share was done).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec;
  int clock_gettime(int clk_id, timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local function now_us()
  local t = ffi.new("timespec")
  ffi.C.clock_gettime(CLOCK_MONOTONIC, t)
  return tonumber(t.tv_sec) * 1000000 + tonumber(t.tv_nsec) / 1000
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("MARQUEE_WRK_THREADS"))
  bodies = {}
  local i = 0
  for line in io.lines(os.getenv("MARQUEE_SCAN_CODES")) do
    if i % count == id then
      local code, screening = line:match("^(%S+) (%S+)$")
      table.insert(bodies, string.format(
        '{"code":"%s","screening_id":"%s","door":"Door %d","nonce":"wrk-%s"}',
        code, screening, i % 8, code:sub(6, 31)))  -- the ticket's part of the code: unique
    end
    i = i + 1
  end
  wrk.method = "POST"
  wrk.path = "/api/v1/scans"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("MARQUEE_DOOR_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
  sent, answered, admitted, failed, started, finished, last = 0, 0, 0, 0, 0, 0, 0
end

-- Once this thread's share is sent, its free connections wait a second between reads, so the
-- reads are few and hardly touch the latency percentiles.
function delay()
  if sent < #bodies then return 0 end
  return 1000
end

function request()
  if sent < #bodies then
    sent = sent + 1
    if sent == 1 then started = now_us() end
    return wrk.format(nil, nil, nil, bodies[sent])
  end
  -- This thread's share is sent; its connections idle on a cheap read until it stops. A scan
  -- whose answer never came (a connection wrk lost) ends the wait after 5 s of silence:
  -- the benchmark checks the admissions against the database.
  if finished == 0 and now_us() - last > 5000000 then finish() end
  return wrk.format("GET", "/healthz", {}, nil)
end

function finish()
  finished = last
  io.open(os.getenv("MARQUEE_SCAN_CODES") .. ".done" .. id, "w"):close()
  wrk.thread:stop()
end

function response(status, headers, body)
  -- Only the scans count (not the reads sent once this thread's share was out).
  if finished > 0 or body == '{"status":"ok"}' then return end
  answered = answered + 1
  if status >= 500 then
    failed = failed + 1
  elseif status == 200 and body:find('"verdict":"admitted"', 1, true) then
    admitted = admitted + 1
  elseif other == nil then
    other = status .. " " .. body:sub(1, 300)
    io.stderr:write("not admitted: " .. other .. "\n")
  end
  last = now_us()
  -- Tells the benchmark this thread is done (wrk would otherwise wait out its duration).
  if answered == #bodies then finish() end
end

function done(summary, latency, requests)
  local first, last, scans, ok, bad = nil, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    local s, f = t:get("started"), t:get("finished")
    if s > 0 and (first == nil or s < first) then first = s end
    if f > last then last = f end
    scans = scans + t:get("answered")
    ok = ok + t:get("admitted")
    bad = bad + t:get("failed")
  end
  io.write(string.format(
    '{"scans":%d,"admitted":%d,"failed":%d,"span_us":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"requests":%d}\n',
    scans, ok, bad, last - (first or last), latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), summary.requests))
end
