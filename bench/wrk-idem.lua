-- wrk script for bench/run.sh: the gateway's resend with a new Idempotency-Key on every request,
-- so that every request stores an idempotency record (the state store's write path, never a
-- replay). Kept apart from wrk-post.lua because defining request() makes wrk call Lua for every
-- request, a cost the other runs must not carry.
--
-- usage: wrk ... -s wrk-idem.lua <url> -- gateway-idem <X-Api-Key>

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-post.lua")

local thread_count = 0
function setup(thread)
  -- runs in the main state once per thread, before that thread's init(): a per-thread id
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

local post_init = init
local prefix
local counter = 0
function init(args)
  post_init(args)
  -- unique across threads (thread id) and runs (start time): a key never repeats
  prefix = string.format("bench-%d-%d-", os.time(), thread_id or 0)
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. counter
  return wrk.format()
end
