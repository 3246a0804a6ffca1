-- Reads for wrk (after wrk-tally.lua): each thread GETs its share of the paths file, in order,
-- round and round. With PARAMS.mean_pause_ms, each connection is a reader who pauses between
-- reads, for a random time with that mean (exponential, so that the readers' reads do not fall
-- in step); without it, each connection reads again as soon as it has its answer.

function prepare()
  paths = share(PARAMS.items)
  headers = { ["Accept"] = "application/json", ["Authorization"] = PARAMS.authorization }
  math.randomseed(os.time() * 100 + id)
end

function request()
  local path = paths[sent % #paths + 1]
  sent = sent + 1
  return wrk.format("GET", path, headers)
end

-- wrk waits delay() milliseconds before a connection's next request, only if the script defines
-- it: the readers who never pause must not have it at all.
if PARAMS.mean_pause_ms then
  function delay()
    return math.floor(-math.log(1 - math.random()) * PARAMS.mean_pause_ms)
  end
end
