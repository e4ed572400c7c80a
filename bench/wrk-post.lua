-- wrk script for bench/run.sh: turns wrk's default GET into the resend POST and prints one
-- machine-readable summary line that run.sh parses (wrk's own text report is kept as the raw log).
--
-- usage: wrk ... -s wrk-post.lua <url> -- gateway|gateway-idem|upstream <secret>
--   gateway      : the gateway's public request (secret = the tenant's X-Api-Key); the reference
--                  app gets the very same bytes and ignores the key
--   gateway-idem : the same with a new Idempotency-Key on every request (wrk-idem.lua wraps
--                  this script for that: a request() function makes wrk run Lua per request)
--   upstream     : Front Payment's request shape (secret = the bearer token), for direct and proxy
-- The path comes from <url>, so the same script serves every target.

function init(args)
  local mode = args[1] or "gateway"
  local secret = args[2] or ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  if mode == "gateway" or mode == "gateway-idem" then
    wrk.headers["X-Api-Key"] = secret
    wrk.body = '{"phone":"+47 912 34 567"}'
  elseif mode == "upstream" then
    -- what the gateway itself sends upstream for the phone above
    wrk.headers["Authorization"] = "Bearer " .. secret
    wrk.body = '{"countryCode":"+47","msisdn":"91234567"}'
  else
    error("mode must be gateway, gateway-idem or upstream, got " .. tostring(mode))
  end
end

-- One line, key=value, latencies in microseconds. errors.status counts answers >= 400, which is
-- how run.sh notices a target that stopped answering 202 (and counts the 503s under overload).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f mean_us=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
