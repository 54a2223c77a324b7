/* A yardstick, not dl code: the reference MLP epoch (784-128-64-10, relu, softmax
   cross-entropy, plain SGD at lr 0.1, 60,000 rows) written as directly as C allows, so that
   almost all of its time is OpenBLAS sgemm. No framework can be much faster than this.

     gcc -O3 -march=native mlp_floor.c -lopenblas -lm -o mlp_floor && ./mlp_floor 128

   Prints JSON like the Python peers: {"floor mlp batch=128": seconds}. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ROWS = 60000, LAYERS = 3 };
static const int width[LAYERS + 1] = {784, 128, 64, 10};

typedef struct {
    float *weight[LAYERS], *bias[LAYERS], *weightGrad[LAYERS], *biasGrad[LAYERS];
    float *activation[LAYERS + 1], *delta[LAYERS + 1]; /* batch x width[l], row-major */
} Net;

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float uniform01(void) { return rand() / (float)RAND_MAX; }

static float *floats(long n) { return calloc(n, sizeof(float)); }

static void make_net(Net *net, int batch) {
    for (int l = 0; l < LAYERS; l++) {
        long n = (long)width[l] * width[l + 1];
        net->weight[l] = floats(n);
        net->weightGrad[l] = floats(n);
        net->bias[l] = floats(width[l + 1]);
        net->biasGrad[l] = floats(width[l + 1]);
        float scale = sqrtf(6.0f / width[l]); /* He-uniform-like, centred on zero */
        for (long i = 0; i < n; i++) net->weight[l][i] = (uniform01() - 0.5f) * scale;
    }
    for (int l = 0; l <= LAYERS; l++) {
        net->activation[l] = floats((long)batch * width[l]);
        net->delta[l] = floats((long)batch * width[l]);
    }
}

/* activation[l+1] = relu(activation[l] * weight[l] + bias[l]); the last layer stays linear. */
static void forward(Net *net, int batch) {
    for (int l = 0; l < LAYERS; l++) {
        int in = width[l], out = width[l + 1];
        float *y = net->activation[l + 1];
        for (int r = 0; r < batch; r++) memcpy(y + (long)r * out, net->bias[l], sizeof(float) * out);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, out, in, 1.0f,
                    net->activation[l], in, net->weight[l], out, 1.0f, y, out);
        if (l < LAYERS - 1)
            for (long i = 0; i < (long)batch * out; i++) y[i] = y[i] > 0 ? y[i] : 0;
    }
}

/* Softmax of the logits and the gradient of the mean cross-entropy; returns the summed loss. */
static float softmax_delta(Net *net, const int *labels, int batch) {
    int classes = width[LAYERS];
    float loss = 0;
    for (int r = 0; r < batch; r++) {
        float *z = net->activation[LAYERS] + (long)r * classes, *g = net->delta[LAYERS] + (long)r * classes;
        float top = z[0], total = 0;
        for (int k = 1; k < classes; k++) top = z[k] > top ? z[k] : top;
        for (int k = 0; k < classes; k++) total += (z[k] = expf(z[k] - top));
        for (int k = 0; k < classes; k++) g[k] = (z[k] / total - (k == labels[r])) / batch;
        loss -= logf(z[labels[r]] / total);
    }
    return loss;
}

/* Back through the layers, stepping each one's weights as soon as its gradient is known
   (the delta below it is taken from the weights before the step). */
static void backward_and_step(Net *net, int batch, float lr) {
    for (int l = LAYERS - 1; l >= 0; l--) {
        int in = width[l], out = width[l + 1];
        float *below = net->activation[l], *delta = net->delta[l + 1];
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, batch, 1.0f,
                    below, in, delta, out, 0.0f, net->weightGrad[l], out);
        memset(net->biasGrad[l], 0, sizeof(float) * out);
        for (int r = 0; r < batch; r++)
            for (int k = 0; k < out; k++) net->biasGrad[l][k] += delta[(long)r * out + k];
        if (l > 0) {
            float *down = net->delta[l];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, in, out, 1.0f,
                        delta, out, net->weight[l], out, 0.0f, down, in);
            for (long i = 0; i < (long)batch * in; i++)
                if (below[i] <= 0) down[i] = 0; /* relu's gradient */
        }
        cblas_saxpy(in * out, -lr, net->weightGrad[l], 1, net->weight[l], 1);
        cblas_saxpy(out, -lr, net->biasGrad[l], 1, net->bias[l], 1);
    }
}

int main(int argc, char **argv) {
    int batch = argc > 1 ? atoi(argv[1]) : 128;
    if (batch <= 0 || batch > ROWS) {
        fprintf(stderr, "usage: mlp_floor [BATCH]  (1 to %d)\n", ROWS);
        return 2;
    }
    srand(0);
    float *pixels = floats((long)ROWS * width[0]);
    int *labels = malloc(sizeof(int) * ROWS);
    for (long i = 0; i < (long)ROWS * width[0]; i++) pixels[i] = uniform01();
    for (int i = 0; i < ROWS; i++) labels[i] = rand() % width[LAYERS];
    Net net;
    make_net(&net, batch);

    double began = seconds_now();
    float loss = 0;
    for (int first = 0; first + batch <= ROWS; first += batch) { /* in order, the tail dropped */
        memcpy(net.activation[0], pixels + (long)first * width[0], sizeof(float) * batch * width[0]);
        forward(&net, batch);
        loss += softmax_delta(&net, labels + first, batch);
        backward_and_step(&net, batch, 0.1f);
    }
    double elapsed = seconds_now() - began;
    fprintf(stderr, "mean loss %.3f\n", loss / ROWS); /* proof the work was done */
    printf("{\"floor mlp batch=%d\": %.3f}\n", batch, elapsed);
    return 0;
}
