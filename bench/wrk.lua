-- One wrk script for every benchmark case, chosen by BENCH_MODE:
--   get        the URL as given
--   ids        GET requests/{id}.json, rotating over the ids in BENCH_IDS (one per line)
--   form       POST requests.json as an urlencoded form
--   multipart  POST requests.json as multipart/form-data with the real JPEG at BENCH_PHOTO
-- BENCH_HEADER ("Name: value"), when set, goes on every GET (e.g. If-None-Match, Accept-Encoding).
-- At the end it prints one line: RESULT requests req/s p50_ms p99_ms errors non_2xx
local mode = os.getenv("BENCH_MODE") or "get"
local extra = {}
local header = os.getenv("BENCH_HEADER")
if header and header ~= "" then
  local name, value = header:match("^([^:]+):%s*(.*)$")
  extra[name] = value
end
local key = os.getenv("BENCH_API_KEY") or "open311-demo-key"
local ids = {}
local counter = 0

local description = "Roska-astiat ovat olleet täynnä koko viikonlopun ja roskia lentelee pitkin puistoa."

function init(args)
  if mode == "ids" then
    for line in io.lines(os.getenv("BENCH_IDS")) do
      ids[#ids + 1] = line
    end
  end
end

local function form()
  return "api_key=" .. key .. "&service_code=191&lat=60.1699&long=24.9384&description="
      .. description:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)
end

local boundary = "----open311bench"
local function multipart()
  local file = assert(io.open(os.getenv("BENCH_PHOTO"), "rb"))
  local jpeg = file:read("*all")
  file:close()
  local parts = {}
  local function field(name, value)
    parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
  end
  field("api_key", key)
  field("service_code", "191")
  field("description", description)
  field("lat", "60.1699")
  field("long", "24.9384")
  parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"media[]\"; filename=\"photo.jpg\"\r\n"
      .. "Content-Type: image/jpeg\r\n\r\n" .. jpeg .. "\r\n--" .. boundary .. "--\r\n"
  return table.concat(parts)
end

local post_body, post_type
if mode == "form" then
  post_body, post_type = form(), "application/x-www-form-urlencoded"
elseif mode == "multipart" then
  post_body, post_type = multipart(), "multipart/form-data; boundary=" .. boundary
end

function request()
  if mode == "ids" then
    counter = counter + 1
    return wrk.format("GET", "/v1/requests/" .. ids[(counter % #ids) + 1] .. ".json?extensions=true", extra)
  elseif post_body then
    return wrk.format("POST", wrk.path, {["Content-Type"] = post_type}, post_body)
  end
  return wrk.format("GET", wrk.path, extra)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d %d\n", summary.requests,
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      errors, summary.errors.status))
end
