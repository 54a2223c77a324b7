// See CImage.h. libpng reports errors by longjmp to the setjmp in the function that called
// it, libjpeg through `error_exit`, which here longjmps likewise instead of exiting: both
// jumps land in this file's own functions, never across Swift frames.
#include "CImage.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

int dl_image_sniff(const uint8_t *bytes, size_t count) {
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (count >= 8 && memcmp(bytes, png_signature, 8) == 0) return DL_IMAGE_PNG;
    if (count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return DL_IMAGE_JPEG;
    return DL_IMAGE_UNKNOWN;
}

static void set_error(char *error, const char *message) {
    snprintf(error, DL_IMAGE_ERROR_SIZE, "%s", message);
}

// MARK: - PNG

typedef struct {
    const uint8_t *bytes;
    size_t count, offset;
    char *error;
} png_source;

static void png_read_memory(png_structp png, png_bytep out, size_t length) {
    png_source *source = (png_source *)png_get_io_ptr(png);
    if (source->count - source->offset < length) png_error(png, "the file ends early (truncated)");
    memcpy(out, source->bytes + source->offset, length);
    source->offset += length;
}

static void png_on_error(png_structp png, png_const_charp message) {
    png_source *source = (png_source *)png_get_error_ptr(png);
    set_error(source->error, message);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp message) { (void)png; (void)message; }

/// Sets the transformations to 8-bit samples and reads the header; returns the channels.
static int png_prepare(png_structp png, png_infop info) {
    png_read_info(png, info);
    int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (depth == 16) png_set_strip_16(png); // the high byte, as PIL reads 16-bit PNGs
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    return png_get_channels(png, info);
}

static int png_run(const uint8_t *bytes, size_t count, dl_image_info *info, uint8_t *pixels, char *error) {
    png_source source = {bytes, count, 0, error};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, png_on_error, png_on_warning);
    if (!png) { set_error(error, "out of memory"); return -1; }
    png_infop header = png_create_info_struct(png);
    // Heap rows for the jump: locals changed after setjmp are unreliable after longjmp.
    png_bytep *volatile rows = NULL;
    if (!header) {
        png_destroy_read_struct(&png, NULL, NULL);
        set_error(error, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) { // the message is set by png_on_error
        free(rows);
        png_destroy_read_struct(&png, &header, NULL);
        return -1;
    }
    png_set_read_fn(png, &source, png_read_memory);
    // Sizes are checked by the caller against memory before decoding; libpng's own limit
    // (1,000,000 x 1,000,000) stays as the last guard.
    int channels = png_prepare(png, header);
    int width = (int)png_get_image_width(png, header), height = (int)png_get_image_height(png, header);
    if (!pixels) {
        info->format = DL_IMAGE_PNG;
        info->width = width;
        info->height = height;
        info->channels = channels;
        info->bit_depth = png_get_bit_depth(png, header);
        png_destroy_read_struct(&png, &header, NULL);
        return 0;
    }
    if (width != info->width || height != info->height || channels != info->channels) {
        png_destroy_read_struct(&png, &header, NULL);
        set_error(error, "the header changed between reads");
        return -1;
    }
    rows = malloc(sizeof(png_bytep) * (size_t)height);
    if (!rows) png_error(png, "out of memory");
    for (int y = 0; y < height; y++) rows[y] = pixels + (size_t)y * (size_t)width * (size_t)channels;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &header, NULL);
    return 0;
}

// MARK: - JPEG

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char *error;
    int truncated;
} jpeg_errors;

static void jpeg_on_error(j_common_ptr jpeg) {
    jpeg_errors *errors = (jpeg_errors *)jpeg->err;
    char message[JMSG_LENGTH_MAX];
    jpeg->err->format_message(jpeg, message);
    // Data that ends early makes libjpeg insert an end marker and then fail on a missing
    // one ("missing SOS marker"): the cause is the truncation.
    set_error(errors->error, errors->truncated ? "the file ends early (truncated)" : message);
    longjmp(errors->jump, 1);
}

/// Warnings are silent, but a file that ends early is remembered: libjpeg fills the rest
/// with grey and goes on, which would train on half a picture.
static void jpeg_on_message(j_common_ptr jpeg, int level) {
    jpeg_errors *errors = (jpeg_errors *)jpeg->err;
    if (level < 0 && jpeg->err->msg_code == JWRN_JPEG_EOF) errors->truncated = 1;
}

static int jpeg_run(const uint8_t *bytes, size_t count, dl_image_info *info, uint8_t *pixels, char *error) {
    struct jpeg_decompress_struct jpeg;
    jpeg_errors errors;
    memset(&jpeg, 0, sizeof jpeg);
    jpeg.err = jpeg_std_error(&errors.manager);
    errors.manager.error_exit = jpeg_on_error;
    errors.manager.emit_message = jpeg_on_message;
    errors.error = error;
    errors.truncated = 0;
    // Heap row for the jump, as for PNG.
    uint8_t *volatile row = NULL;
    if (setjmp(errors.jump)) {
        free(row);
        jpeg_destroy_decompress(&jpeg);
        return -1;
    }
    jpeg_create_decompress(&jpeg);
    jpeg_mem_src(&jpeg, bytes, (unsigned long)count);
    jpeg_read_header(&jpeg, TRUE);
    if (errors.truncated) {
        jpeg_destroy_decompress(&jpeg);
        set_error(error, "the file ends early (truncated)");
        return -1;
    }
    int cmyk = jpeg.jpeg_color_space == JCS_CMYK || jpeg.jpeg_color_space == JCS_YCCK;
    int channels = jpeg.num_components == 1 ? 1 : 3;
    jpeg.out_color_space = cmyk ? JCS_CMYK : channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    if (!pixels) {
        info->format = DL_IMAGE_JPEG;
        info->width = (int)jpeg.image_width;
        info->height = (int)jpeg.image_height;
        info->channels = channels;
        info->bit_depth = jpeg.data_precision;
        jpeg_destroy_decompress(&jpeg);
        return 0;
    }
    if ((int)jpeg.image_width != info->width || (int)jpeg.image_height != info->height || channels != info->channels) {
        jpeg_destroy_decompress(&jpeg);
        set_error(error, "the header changed between reads");
        return -1;
    }
    jpeg_start_decompress(&jpeg);
    size_t width = jpeg.output_width;
    if (cmyk) {
        row = malloc(width * 4);
        if (!row) { set_error(error, "out of memory"); jpeg_destroy_decompress(&jpeg); return -1; }
    }
    // Photoshop writes CMYK inverted (an Adobe marker says so), as PIL's "CMYK;I" reads it.
    int inverted = jpeg.saw_Adobe_marker;
    // A file that ends early stops here, not after libjpeg has made up every missing row.
    while (jpeg.output_scanline < jpeg.output_height && !errors.truncated) {
        uint8_t *target = pixels + (size_t)jpeg.output_scanline * width * (size_t)channels;
        if (!cmyk) {
            JSAMPROW rows[1] = {target};
            jpeg_read_scanlines(&jpeg, rows, 1);
            continue;
        }
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&jpeg, rows, 1);
        for (size_t x = 0; x < width; x++) {
            const uint8_t *p = row + 4 * x;
            int k = inverted ? p[3] : 255 - p[3];
            for (int c = 0; c < 3; c++) {
                int ink = inverted ? p[c] : 255 - p[c];
                target[3 * x + c] = (uint8_t)((ink * k + 127) / 255);
            }
        }
    }
    if (errors.truncated) {
        free(row);
        jpeg_destroy_decompress(&jpeg);
        set_error(error, "the file ends early (truncated)");
        return -1;
    }
    jpeg_finish_decompress(&jpeg);
    free(row);
    jpeg_destroy_decompress(&jpeg);
    if (errors.truncated) { set_error(error, "the file ends early (truncated)"); return -1; }
    return 0;
}

// MARK: - Entry points

int dl_image_read_info(const uint8_t *bytes, size_t count, dl_image_info *info, char *error) {
    memset(info, 0, sizeof *info);
    error[0] = 0;
    switch (dl_image_sniff(bytes, count)) {
    case DL_IMAGE_PNG: return png_run(bytes, count, info, NULL, error);
    case DL_IMAGE_JPEG: return jpeg_run(bytes, count, info, NULL, error);
    default: set_error(error, "not a PNG or JPEG file"); return -1;
    }
}

int dl_image_decode(const uint8_t *bytes, size_t count, const dl_image_info *info, uint8_t *pixels, char *error) {
    dl_image_info copy = *info;
    error[0] = 0;
    switch (dl_image_sniff(bytes, count)) {
    case DL_IMAGE_PNG: return png_run(bytes, count, &copy, pixels, error);
    case DL_IMAGE_JPEG: return jpeg_run(bytes, count, &copy, pixels, error);
    default: set_error(error, "not a PNG or JPEG file"); return -1;
    }
}

void dl_image_convert(const uint8_t *source, int from, uint8_t *target, int to, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = source + i * (size_t)from;
        uint8_t *q = target + i * (size_t)to;
        if (to == 1) {
            // PIL's L = R * 299/1000 + G * 587/1000 + B * 114/1000, rounded as its fixed point does.
            q[0] = from >= 3 ? (uint8_t)((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16) : p[0];
        } else if (from >= 3) {
            q[0] = p[0]; q[1] = p[1]; q[2] = p[2];
        } else {
            q[0] = q[1] = q[2] = p[0];
        }
    }
}

// MARK: - Resizing

static double triangle(double x) {
    if (x < 0) x = -x;
    return x < 1 ? 1 - x : 0;
}

/// PIL's precompute_coeffs for the bilinear filter: for each output position, the first
/// input index and `size` normalised weights (at most `ksize`).
static int coefficients(int in_size, int out_size, int *first, int *size, float *weights) {
    double scale = (double)in_size / out_size;
    double filter_scale = scale < 1 ? 1 : scale;
    double support = filter_scale; // the triangle's support is 1
    int ksize = (int)ceil(support) * 2 + 1;
    for (int o = 0; o < out_size; o++) {
        double center = (o + 0.5) * scale, total = 0;
        int lo = (int)(center - support + 0.5), hi = (int)(center + support + 0.5);
        if (lo < 0) lo = 0;
        if (hi > in_size) hi = in_size;
        float *k = weights + (size_t)o * (size_t)ksize;
        double w[ksize];
        for (int i = lo; i < hi; i++) { w[i - lo] = triangle((i - center + 0.5) / filter_scale); total += w[i - lo]; }
        for (int i = lo; i < hi; i++) k[i - lo] = (float)(total != 0 ? w[i - lo] / total : 0);
        first[o] = lo;
        size[o] = hi - lo;
    }
    return ksize;
}

static uint8_t clamp_byte(float v) {
    v = roundf(v);
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

void dl_image_resize(const uint8_t *source, int in_width, int in_height, int channels,
                     uint8_t *target, int out_width, int out_height, float *scratch) {
    int xk = (int)ceil(in_width > out_width ? (double)in_width / out_width : 1) * 2 + 1;
    int yk = (int)ceil(in_height > out_height ? (double)in_height / out_height : 1) * 2 + 1;
    int *xfirst = malloc(sizeof(int) * 2 * (size_t)(out_width + out_height));
    float *weights = malloc(sizeof(float) * ((size_t)out_width * xk + (size_t)out_height * yk));
    if (!xfirst || !weights) { free(xfirst); free(weights); memset(target, 0, (size_t)out_width * out_height * channels); return; }
    int *xsize = xfirst + out_width, *yfirst = xsize + out_width, *ysize = yfirst + out_height;
    float *xweights = weights, *yweights = weights + (size_t)out_width * xk;
    coefficients(in_width, out_width, xfirst, xsize, xweights);
    coefficients(in_height, out_height, yfirst, ysize, yweights);
    // Horizontal pass: in_height rows of out_width pixels, in floats.
    for (int y = 0; y < in_height; y++) {
        const uint8_t *row = source + (size_t)y * in_width * channels;
        float *out = scratch + (size_t)y * out_width * channels;
        for (int x = 0; x < out_width; x++) {
            const float *k = xweights + (size_t)x * xk;
            for (int c = 0; c < channels; c++) {
                float sum = 0;
                for (int i = 0; i < xsize[x]; i++) sum += k[i] * row[(size_t)(xfirst[x] + i) * channels + c];
                out[(size_t)x * channels + c] = sum;
            }
        }
    }
    // Vertical pass into bytes.
    size_t stride = (size_t)out_width * channels;
    for (int y = 0; y < out_height; y++) {
        const float *k = yweights + (size_t)y * yk;
        uint8_t *out = target + (size_t)y * stride;
        for (size_t j = 0; j < stride; j++) {
            float sum = 0;
            for (int i = 0; i < ysize[y]; i++) sum += k[i] * scratch[(size_t)(yfirst[y] + i) * stride + j];
            out[j] = clamp_byte(sum);
        }
    }
    free(xfirst);
    free(weights);
}
