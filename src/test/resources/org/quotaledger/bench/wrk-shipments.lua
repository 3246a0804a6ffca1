-- wrk's script for the suite's HTTP figures (bench/Wrk.java writes PARAMS above this line).
-- Each thread POSTs its share of the bodies file (line n goes to thread n % threads), in order,
-- and starts over when it has sent them all, with "-rN" added to every shipmentId so that each
-- request is a new shipment. It tallies the answers' statuses; done() prints them with the run's
-- duration and latency percentiles as "QL ..." lines for Wrk.java to read.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  local n = 0
  for line in io.lines(PARAMS.bodies) do
    if n % PARAMS.threads == id then
      table.insert(bodies, line)
    end
    n = n + 1
  end
  if #bodies == 0 then
    error("no bodies for thread " .. id .. " in " .. PARAMS.bodies)
  end
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = PARAMS.authorization }
  sent = 0
  statuses = {}
end

function request()
  local index = sent % #bodies + 1
  local round = math.floor(sent / #bodies)
  sent = sent + 1
  local body = bodies[index]
  if round > 0 then
    body = body:gsub('"shipmentId":"([^"]*)"', '"shipmentId":"%1-r' .. round .. '"', 1)
  end
  return wrk.format("POST", PARAMS.path, headers, body)
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
