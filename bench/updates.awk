# Turns the update feed's rows of bench/work/results.tsv (BENCH_CASES=updates) into its section of RESULTS.md.
function field(s, i,   a) { split(s, a, " "); return a[i] }
BEGIN { FS = "\t"; n = 0 }
$1 ~ /^servicerequestupdates/ { name[n] = $1; g[n] = $2; n++ }
END {
  print "## Update feed: GET servicerequestupdates over one day"
  print ""
  printf "Run of `%s%sbench/run`: %s, commit %s. Store: %s, 100,000 requests seeded through the\n",
    cases == "updates" ? "BENCH_CASES=updates " : "", warmup == 10 ? "" : "BENCH_WARMUP=" warmup " ", date, commit, store
  printf "import command and request_history by `UpdateHistorySeeder` (1,000 updates a day over 30 days); the window\n"
  printf "is the last day (%d updates, answered whole). 16 connections, %d s per case after a %d s warm-up. Load average\n", updates, duration, warmup
  printf "before and after: %s / %s (2 cores: a load above 2 is other work beside it).\n", load_before, load_after
  print ""
  print "| Case | req/s | p50 ms | p99 ms | errors / non-2xx | CPU ms/request |"
  print "| --- | ---: | ---: | ---: | ---: | ---: |"
  worst = 0
  for (i = 0; i < n; i++) {
    printf "| %s | %.0f | %.1f | %.1f | %d / %d | %.2f |\n", name[i], field(g[i], 1), field(g[i], 2), field(g[i], 3),
      field(g[i], 4), field(g[i], 5), field(g[i], 6)
    if (name[i] ~ /json/) worst = field(g[i], 3)
  }
  print ""
  printf "Target (issue #17): one day of 1,000 updates at 100,000 stored requests, p99 < 50 ms at 16 connections: %.1f ms, %s.\n",
    worst, worst < 50 ? "met" : "**missed**"
}
