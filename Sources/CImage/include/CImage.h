// Image decoding for dl: a shim over libpng and libjpeg-turbo whose error handlers return
// errors instead of exiting (libjpeg's default) or jumping out (libpng), so a broken file
// never ends the session. Everything works on bytes in memory; nothing here allocates
// beyond the libraries' own state and what the caller passes in.
#ifndef DL_CIMAGE_H
#define DL_CIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define DL_IMAGE_ERROR_SIZE 200

typedef enum { DL_IMAGE_UNKNOWN = 0, DL_IMAGE_PNG = 1, DL_IMAGE_JPEG = 2 } dl_image_format;

/// What a file's header says: its size and the channels it decodes to (1 grey, 2 grey and
/// alpha, 3 RGB, 4 RGBA; a CMYK JPEG decodes to 3).
typedef struct {
    int format;
    int width;
    int height;
    int channels;
    /// Bits per sample in the file (1, 2, 4, 8 or 16); pixels always decode to 8.
    int bit_depth;
} dl_image_info;

/// The format by the first bytes (PNG signature, JPEG SOI), or DL_IMAGE_UNKNOWN.
int dl_image_sniff(const uint8_t *bytes, size_t count);

/// Reads only the header. Returns 0, or -1 with a message in `error` (DL_IMAGE_ERROR_SIZE bytes).
int dl_image_read_info(const uint8_t *bytes, size_t count, dl_image_info *info, char *error);

/// Decodes to 8-bit samples, `info->channels` per pixel, rows top to bottom, into `pixels`
/// (width * height * channels bytes, as `dl_image_read_info` gave). 16-bit samples are
/// reduced, palettes expanded, 1/2/4-bit grey widened, a PNG's tRNS made an alpha channel,
/// CMYK converted to RGB. A file that ends early is an error (libjpeg would only warn and
/// fill the rest grey). `max_pixels` refuses larger images before anything is decoded.
/// Returns 0, or -1 with a message in `error`.
int dl_image_decode(const uint8_t *bytes, size_t count, const dl_image_info *info, uint8_t *pixels,
                    char *error);

/// Converts `count` pixels of `from` channels (1..4) to `to` channels (1 or 3): alpha is
/// dropped (as PIL's convert and Keras do), grey is repeated, RGB to grey by ITU-R 601-2
/// luma (L = R * 299/1000 + G * 587/1000 + B * 114/1000, as PIL's convert("L")).
void dl_image_convert(const uint8_t *source, int from, uint8_t *target, int to, size_t count);

/// Resizes an 8-bit image with `channels` channels by bilinear interpolation, with
/// antialiasing when shrinking (the triangle filter widened by the scale factor, as PIL's
/// Image.resize(BILINEAR) does). `scratch` holds out_width * in_height * channels floats.
void dl_image_resize(const uint8_t *source, int in_width, int in_height, int channels,
                     uint8_t *target, int out_width, int out_height, float *scratch);

#endif
