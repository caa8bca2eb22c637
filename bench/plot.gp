# bench/plot.gp — slowdown versus native per kernel (log scale), from the
# kernels CSV written by ward_bench. Variables: csv, png, aot (0/1).
set terminal pngcairo size 1100,560 noenhanced font ",11"
set output png
set datafile separator ","
set title "Ward: time relative to native (lower is better; median of repetitions)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set yrange [0.5:*]
set ylabel "time / native time"
set grid ytics
set key outside right top vertical
set xtics nomirror
if (aot) {
  plot csv using "interp_x":xtic(1) title "interp (metering on)", \
       "" using "interp_nometer_x" title "interp (metering off)", \
       "" using "aot_x" title "aot (metering on)", \
       "" using "aot_nometer_x" title "aot (metering off)", \
       14 with lines dashtype 2 lc rgb "black" title "interp target (14x)"
} else {
  plot csv using "interp_x":xtic(1) title "interp (metering on)", \
       "" using "interp_nometer_x" title "interp (metering off)", \
       14 with lines dashtype 2 lc rgb "black" title "interp target (14x)"
}
