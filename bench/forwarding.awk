# The forwarding section of RESULTS.md, from bench/run's two forwarding cases. Each case's figures:
# "forwarded/s records puts put_more_than_once cpu_ms_per_forwarded drain_s".
function row(label, figures,    f, once) {
  split(figures, f, " ")
  once = (f[2] == backlog && f[3] == backlog && f[4] == 0) ? "yes" : "**no**"
  printf "| %s | %s | %s | %s | %s | %s | %s |\n", label, f[1], f[6], f[2], f[3], once, f[5]
  return f[1]
}
BEGIN {
  print "## Forwarding: a backlog drained to the CRM"
  print ""
  printf "%s, %s. A backlog of %d requests posted through the API while forwarding was paused, then drained by\n", date, store, backlog
  printf "one instance to the CRM simulator: `gateway.backend.crm.concurrency = %d`, `gateway.forwarding.batch-size = %d`,\n", conc, batch
  printf "`gateway.forwarding.interval-ms = %d`. Counted at the simulator (every PUT); timed from the moment its delay was set\n", interval
  printf "to the last PUT. Load average (1, 5, 15 min) %s before, %s after (2 cores, shared).\n", load_before, load_after
  print ""
  print "| CRM answers in | forwarded/s (one instance) | drain s | records at the CRM | PUTs | each PUT once | gateway CPU ms per forwarded |"
  print "| --- | --- | --- | --- | --- | --- | --- |"
  row("0 ms", fast)
  rate = row("300 ms", slow)
  print ""
  printf "Target (issue #14): at least 300 forwarded/s per instance with the 300 ms CRM, each request PUT once: **%s**.\n", \
    (rate >= 300 ? "met" : "missed") " (" rate "/s)"
}
