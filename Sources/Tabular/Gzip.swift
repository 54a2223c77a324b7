import CZlib

/// Decompression of gzip data with zlib, for `.gz` data files such as MNIST's.
enum Gzip {
    /// True when `bytes` start with the gzip magic number 1f 8b. Files are recognised by
    /// content rather than by a `.gz` name, because browsers often decompress downloads
    /// and keep the name, and some mirrors serve compressed files without it.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents of gzip data. Concatenated members (as `cat a.gz b.gz`
    /// makes) are joined; bytes after the last member that are not another member are
    /// ignored, as gzip itself does. `source` names the file in messages.
    /// With `limit`, stops once that many bytes are out and returns them (to read a header
    /// before deciding whether the whole would fit in memory).
    static func decompress(_ input: [UInt8], source: String, limit: Int = .max) throws -> [UInt8] {
        guard input.count < Int(UInt32.max) else {
            throw TabularError("'\(source)' is too large to decompress here (\(input.count) bytes)",
                               hint: "decompress it with gunzip and load the plain file")
        }
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer rather than a raw zlib stream.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TabularError("cannot decompress '\(source)': zlib could not start",
                               hint: "decompress it with gunzip and load the plain file")
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(min(expectedSize(input), limit))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var buffer = input
        try buffer.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[..<(chunk.count - Int(stream.avail_out))])
                if output.count >= limit { return }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let rest = Int(stream.avail_in)
                    let offset = inBuffer.count - rest
                    guard rest >= 2, inBuffer[offset] == 0x1f, inBuffer[offset + 1] == 0x8b else { return }
                    guard inflateReset(&stream) == Z_OK else { throw corrupt(source, stream) }
                case Z_BUF_ERROR where stream.avail_in == 0:
                    // No input left but the stream has not ended: the file was cut short.
                    throw TabularError("'\(source)' ends in the middle of its gzip data after \(input.count) bytes",
                                       hint: "the download may be incomplete: download the file again")
                default:
                    throw corrupt(source, stream)
                }
            }
        }
        return output.count > limit ? Array(output.prefix(limit)) : output
    }

    /// The size the gzip trailer records (modulo 2^32), capped so a corrupt trailer
    /// cannot make us reserve absurd amounts of memory.
    private static func expectedSize(_ input: [UInt8]) -> Int {
        guard input.count >= 18 else { return 0 }
        let n = input.count
        let size = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        return min(size, input.count * 64)
    }

    private static func corrupt(_ source: String, _ stream: z_stream) -> TabularError {
        let reason = stream.msg.map { String(cString: $0) } ?? "the compressed data is damaged"
        return TabularError("'\(source)' is not valid gzip data: \(reason)",
                            hint: "download the file again, or decompress it with gunzip and load the plain file")
    }
}
