-- wrk script for the perf harness (mock/internal/httpapi/perf_test.go): cycles through the request paths
-- listed one per line in the file named by WRK_PATHS, sending the API key in WRK_KEY. When
-- WRK_LIMIT is set, each thread stops after that many responses, so a run is bounded in count
-- as well as by wrk's -d.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
local key = os.getenv("WRK_KEY")
local limit = tonumber(os.getenv("WRK_LIMIT") or "0")
local i = 0
local seen = 0

function init(args)
  wrk.headers["x-api-key"] = key
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

if limit > 0 then
  function response(status, headers, body)
    seen = seen + 1
    if seen >= limit then
      wrk.thread:stop()
    end
  end
end
