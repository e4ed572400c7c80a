# gnuplot script for bench/run.sh: p50 and p99 latency by concurrency for the four targets.
# Called as: gnuplot -e "datafile='...'; outfile='...'; subtitle='...'" latency.gp
# datafile columns: concurrency direct_p50 direct_p99 proxy_p50 proxy_p99 reference_p50 reference_p99
#                   gateway_p50 gateway_p99 (ms)

if (!exists("subtitle")) subtitle = ""

# pngcairo draws nicer text; plain png (libgd) is the fallback some gnuplot builds only have
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 960,600 enhanced font "sans,10"
} else {
    set terminal png size 960,600
}
set output outfile

set title "Resend: latency by concurrency (wrk, loopback)\n".subtitle
set xlabel "concurrent connections"
set ylabel "latency (ms, log scale)"
# concurrency spans two orders of magnitude and latency even more: log both axes
set logscale xy
set xtics ("1" 1, "32" 32, "128" 128)
set grid xtics ytics mytics
set key outside right top vertical
set offsets graph 0.05, graph 0.05, 0, 0

# one colour per target, solid for p50 and dashed for p99
plot datafile using 1:2 with linespoints lw 2 pt 7 lc rgb "#1b9e77" title "direct p50", \
     datafile using 1:3 with linespoints lw 2 pt 6 dt 2 lc rgb "#1b9e77" title "direct p99", \
     datafile using 1:4 with linespoints lw 2 pt 5 lc rgb "#7570b3" title "nginx proxy p50", \
     datafile using 1:5 with linespoints lw 2 pt 4 dt 2 lc rgb "#7570b3" title "nginx proxy p99", \
     datafile using 1:6 with linespoints lw 2 pt 11 lc rgb "#e7298a" title "reference p50", \
     datafile using 1:7 with linespoints lw 2 pt 10 dt 2 lc rgb "#e7298a" title "reference p99", \
     datafile using 1:8 with linespoints lw 2 pt 9 lc rgb "#d95f02" title "gateway p50", \
     datafile using 1:9 with linespoints lw 2 pt 8 dt 2 lc rgb "#d95f02" title "gateway p99"
