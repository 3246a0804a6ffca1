-- Reads for wrk (after wrk-tally.lua): each thread GETs its share of the paths file, in order,
-- round and round.

function prepare()
  paths = share(PARAMS.items)
  headers = { ["Accept"] = "application/json", ["Authorization"] = PARAMS.authorization }
end

function request()
  local path = paths[sent % #paths + 1]
  sent = sent + 1
  return wrk.format("GET", path, headers)
end
