# Herald/Kafka ratios from the steps.tsv of compare-kafka.sh, one table per run (ratios are never taken
# across runs). Also usable on its own: awk -v quiet=0.15 -f dist/bench/summarize.awk results/<ts>/steps.tsv
#
# steps.tsv columns: 1 run, 2 step, 3 broker (kafka|herald), 4 rec/s or e2e avg ms, 5 MB/s or e2e
# "p50/p99/p99.9" ms, 6 detail, 7 GB moved (10^9 B of record values), 8 wall s, 9 broker CPU-s,
# 10 broker cores, 11 tool cores, 12 idle peer broker cores, 13 other cores (+ steal), 14 load1 before,
# 15 load1 after.
# A side is "NOISY" when the other processes plus the idle peer broker used more than `quiet` cores.
BEGIN {
    FS = "\t"
    if (quiet == "") quiet = 0.15
    label["a"] = "produce 1 KiB, 1 partition, acks=1"
    label["b"] = "produce 1 KiB, 1 partition, acks=all"
    label["c"] = "produce 1 KiB, 6 partitions, acks=1"
    label["f"] = "produce 1 KiB, 6 partitions, acks=all"
    label["d1"] = "consume, 1 partition (new group)"
    label["d2"] = "consume, 6 partitions (new group)"
    label["e"] = "end-to-end latency 100 B, acks=1"
    order = "a b c f d1 d2 e"
    n_order = split(order, ord, " ")
}
{
    r = $1; s = $2; b = $3
    key = r SUBSEP s SUBSEP b
    v1[key] = $4; v2[key] = $5; gb[key] = $7; wall[key] = $8; cpu[key] = $9
    tcores[key] = $11; peer[key] = $12; other[key] = $13; l0[key] = $14; l1[key] = $15
    seen[r SUBSEP s] = 1
    if (!(r in runs)) { runs[r] = 1; run_list[++n_runs] = r }
}
function ratio(h, k) { return (k + 0 > 0 && h != "" && k != "") ? sprintf("%.2f", h / k) : "n/a" }
function noise(key,   o, p, flag) {
    o = other[key] + 0; p = peer[key] + 0
    flag = (o + p > quiet + 0) ? "NOISY" : "clean"
    return sprintf("%s (other %.2f, peer %.2f, tool %.2f cores, load %s->%s)", flag, o, p, tcores[key], l0[key], l1[key])
}
function cpugb(key) { return (gb[key] + 0 > 0) ? cpu[key] / gb[key] : 0 }
function failed(key) { return v1[key] == "FAILED" || v1[key] == "" }
END {
    for (i = 1; i <= n_runs; i++) {
        r = run_list[i]
        printf "\n=== run %s: Herald vs Kafka, same run (ratio = Herald / Kafka) ===\n", r
        printf "| step | workload | Kafka rec/s (MB/s) | Herald rec/s (MB/s) | throughput H/K | Kafka broker CPU-s/GB | Herald broker CPU-s/GB | CPU/GB H/K |\n"
        printf "|---|---|--:|--:|--:|--:|--:|--:|\n"
        for (j = 1; j <= n_order; j++) {
            s = ord[j]
            if (s == "e" || !((r SUBSEP s) in seen)) continue
            k = r SUBSEP s SUBSEP "kafka"; h = r SUBSEP s SUBSEP "herald"
            ks = failed(k) ? "FAILED" : sprintf("%.0f (%.1f)", v1[k], v2[k])
            hs = failed(h) ? "FAILED" : sprintf("%.0f (%.1f)", v1[h], v2[h])
            tr = (failed(k) || failed(h)) ? "n/a" : ratio(v1[h], v1[k])
            cr = (failed(k) || failed(h)) ? "n/a" : ratio(cpugb(h), cpugb(k))
            printf "| %s | %s | %s | %s | **%s** | %.2f | %.2f | **%s** |\n", s, label[s], ks, hs, tr, cpugb(k), cpugb(h), cr
        }
        if ((r SUBSEP "e") in seen) {
            k = r SUBSEP "e" SUBSEP "kafka"; h = r SUBSEP "e" SUBSEP "herald"
            printf "\n| step e: %s | avg ms | p50 ms | p99 ms | p99.9 ms | broker CPU-s |\n", label["e"]
            printf "|---|--:|--:|--:|--:|--:|\n"
            split(v2[k], kp, "/"); split(v2[h], hp, "/")
            printf "| Kafka | %s | %s | %s | %s | %.2f |\n", v1[k], kp[1], kp[2], kp[3], cpu[k]
            printf "| Herald | %s | %s | %s | %s | %.2f |\n", v1[h], hp[1], hp[2], hp[3], cpu[h]
            printf "| **Herald / Kafka** | **%s** | **%s** | **%s** | **%s** | **%s** |\n", ratio(v1[h], v1[k]),
                ratio(hp[1], kp[1]), ratio(hp[2], kp[2]), ratio(hp[3], kp[3]), ratio(cpu[h], cpu[k])
            printf "(EndToEndLatency truncates percentiles to whole ms: a 0 means < 1 ms, and a ratio against 0 is n/a)\n"
        }
        printf "\nnoise per step (other = cores used by everything except the measured broker, the tool and the idle peer broker, + steal;\nNOISY when other + peer > %s cores; load = /proc/loadavg 1-min before -> after):\n", quiet
        for (j = 1; j <= n_order; j++) {
            s = ord[j]
            if (!((r SUBSEP s) in seen)) continue
            k = r SUBSEP s SUBSEP "kafka"; h = r SUBSEP s SUBSEP "herald"
            printf "  %-3s kafka  %5.1f s, broker %6.2f CPU-s: %s\n", s, wall[k], cpu[k], noise(k)
            printf "  %-3s herald %5.1f s, broker %6.2f CPU-s: %s\n", s, wall[h], cpu[h], noise(h)
        }
    }
}
