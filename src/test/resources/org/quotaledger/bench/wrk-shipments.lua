-- Shipments for wrk (after wrk-tally.lua): each thread POSTs its share of the bodies file, in
-- order, and starts over when it has sent them all, with "-rN" added to every shipmentId so that
-- each request is a new shipment.

function prepare()
  bodies = share(PARAMS.items)
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = PARAMS.authorization }
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
