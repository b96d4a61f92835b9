-- wrk script for bench/bench_public.py --wrk: each wrk thread walks its own slice of the paths file
-- (so with --cold no page is asked twice), each connection waits DELAY ms between requests (wrk has
-- no fixed rate: connections × 1000 / (DELAY + latency) ≈ the rate asked for), and done() prints the
-- figures as one JSON line that the bench reads back.
--   wrk -t T -c C -d 30s --latency -s bench/wrk_public.lua http://127.0.0.1:PORT -- PATHS T DELAY
local counter = 0
local threads = {}

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths, next_i, pause = {}, 0, 0

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  pause = tonumber(args[3])
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == index then
      table.insert(paths, line)
    end
    n = n + 1
  end
end

function request()
  next_i = next_i % #paths + 1
  return wrk.format("GET", paths[next_i])
end

function delay()
  return pause
end

function done(summary, latency, requests)
  local statuses = summary.errors.status
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, statuses,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
