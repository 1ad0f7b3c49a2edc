-- wrk script: client_credentials token requests to the STS.
-- The client id and secret come from the environment (demo client by default).
local id = os.getenv("CLIENT_ID") or "orderprocessingservice"
local secret = os.getenv("CLIENT_SECRET") or "orderprocessingservicesecret"
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=orders%3Aread"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
