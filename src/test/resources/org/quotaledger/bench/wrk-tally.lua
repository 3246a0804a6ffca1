-- The part of wrk's scripts that every load of the suite shares (bench/Wrk.java writes PARAMS,
-- then this, then the load's own script, which defines prepare() and request()).
-- Each thread tallies its answers' statuses; done() prints them with the run's duration and
-- latency percentiles as "QL ..." lines for Wrk.java to read.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- Line n of the file, for thread n % threads: each thread's share of the load's items.
function share(file)
  local lines = {}
  local n = 0
  for line in io.lines(file) do
    if n % PARAMS.threads == id then
      table.insert(lines, line)
    end
    n = n + 1
  end
  if #lines == 0 then
    error("no lines for thread " .. id .. " in " .. file)
  end
  return lines
end

function init(args)
  statuses = {}
  sent = 0
  prepare()
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("QL duration_us %d\n", summary.duration))
  io.write(string.format("QL errors %d\n", errors.connect + errors.read + errors.write + errors.timeout))
  io.write(string.format("QL p50_us %d\n", latency:percentile(50)))
  io.write(string.format("QL p99_us %d\n", latency:percentile(99)))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("QL status %s %d\n", status, count))
  end
end
