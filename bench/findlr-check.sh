#!/bin/sh
# The findlr check of issue 27: on each data set (the seed workflow: split 0.8, scale minmax,
# dense 64 relu x2, softmax), the test accuracy after training at findlr's suggestion (steep; and
# fastai's valley beside it) against the best of `sweep lr=1,0.3,0.1,0.03,0.01,0.003,0.001` at the same epochs
# (each rate trained from the same initial weights, then evaluated on the test rows).
# Usage: [EPOCHS=20] bench/findlr-check.sh [DL] (default .build/debug/dl)
DL=${1:-.build/debug/dl}
prelude() {
    printf 'load %s\nsplit 0.8\nscale minmax\ndense 64 relu\ndense 64 relu\ndense %s softmax\n' "$1" "$2"
}
accuracy() { grep -o 'accuracy [0-9.]* ([0-9]*/[0-9]* correct)' | head -1 | cut -d' ' -f2; }
printf '%-14s %6s %10s %8s %10s %8s %10s %8s %8s\n' set epochs suggested acc valley acc best_sweep acc gap
EPOCHS=${EPOCHS:-20}
for entry in iris:3:$EPOCHS digits:10:$EPOCHS breast_cancer:2:$EPOCHS; do
    set_name=${entry%%:*}; rest=${entry#*:}; classes=${rest%%:*}; epochs=${rest#*:}
    found=$( (prelude "$set_name" "$classes"; echo findlr) | NO_COLOR=1 "$DL" 2>&1)
    steep=$(echo "$found" | sed -n 's/^suggested lr=\([^ ]*\) .*/\1/p')
    valley=$(echo "$found" | sed -n "s/.*valley gives lr=\\([^;]*\\);.*/\\1/p")
    run() { (prelude "$set_name" "$classes"; echo "train lr=$1 epochs=$epochs verbose=0"; echo evaluate) | NO_COLOR=1 "$DL" 2>&1 | accuracy; }
    va=$(run "$valley"); sa=$(run "$steep")
    best=0; best_lr=-
    for lr in 1 0.3 0.1 0.03 0.01 0.003 0.001; do
        a=$(run "$lr")
        if [ "$(echo "$a > $best" | bc -l)" = 1 ]; then best=$a; best_lr=$lr; fi
    done
    gap=$(echo "$best - $sa" | bc -l)
    printf '%-14s %6s %10s %8s %10s %8s %10s %8s %8s\n' "$set_name" "$epochs" "$steep" "$sa" "$valley" "$va" "$best_lr" "$best" "$gap"
done
