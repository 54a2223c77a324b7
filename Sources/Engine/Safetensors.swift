import DLCore
import Foundation

/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes
/// of JSON (`{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …,
/// "__metadata__": {"key": "text", …}}`), then the tensors' raw little-endian bytes, the
/// offsets counted from the end of the header. Only F32 tensors are written or read.
public enum Safetensors {
    /// One named tensor of a file, in the order of its data.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var tensor: Tensor

        public init(name: String, tensor: Tensor) {
            self.name = name
            self.tensor = tensor
        }
    }

    /// The file's bytes: tensors in the order given, the header padded with spaces to a
    /// multiple of 8 bytes so the data is aligned (as the reference writer does).
    public static func encode(_ entries: [Entry], metadata: [String: String]) -> [UInt8] {
        var header = "{\"__metadata__\":{"
        header += metadata.keys.sorted().map { "\(quotedLiteral($0)):\(quotedLiteral(metadata[$0]!))" }.joined(separator: ",")
        header += "}"
        var offset = 0
        for entry in entries {
            let size = entry.tensor.count * 4
            header += ",\(quotedLiteral(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(entry.tensor.shape.map(String.init).joined(separator: ","))],"
            header += "\"data_offsets\":[\(offset),\(offset + size)]}"
            offset += size
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(32) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { bytes += $0 }
        bytes += headerBytes
        for entry in entries {
            for value in entry.tensor.data {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        return bytes
    }

    /// The tensors (in the order of their data) and the metadata of a file's bytes, after
    /// checking everything the format promises: a header that fits in the file and is a
    /// JSON object, F32 tensors whose shapes match their byte ranges, and ranges that cover
    /// the data exactly, without gaps or overlaps.
    public static func decode(_ bytes: [UInt8]) throws(SafetensorsProblem) -> (entries: [Entry], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw .truncated(bytes: bytes.count) }
        let length = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw .headerPastEnd(claimed: length, available: bytes.count - 8)
        }
        let headerEnd = 8 + Int(length)
        guard length >= 2, bytes[8] == UInt8(ascii: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
              let header = object as? [String: Any] else {
            throw .notSafetensors
        }
        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let pairs = raw as? [String: Any] else { throw .badEntry(name: "__metadata__", reason: "it is not an object of texts") }
            for (key, value) in pairs {
                guard let text = value as? String else { throw .badEntry(name: "__metadata__", reason: "the value of '\(key)' is not text") }
                metadata[key] = text
            }
        }
        struct Placed { var name: String; var shape: [Int]; var begin: Int; var end: Int }
        var placed: [Placed] = []
        for (name, value) in header where name != "__metadata__" {
            guard let fields = value as? [String: Any] else { throw .badEntry(name: name, reason: "it is not an object") }
            guard let dtype = fields["dtype"] as? String else { throw .badEntry(name: name, reason: "it has no dtype") }
            guard dtype == "F32" else { throw .unsupportedDtype(name: name, dtype: dtype) }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw .badEntry(name: name, reason: "its shape is not a list of sizes")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw .badEntry(name: name, reason: "its data_offsets are not [begin, end]")
            }
            var cells = 1
            for size in shape {
                let (product, overflow) = cells.multipliedReportingOverflow(by: size)
                guard !overflow, product <= bytes.count else { throw .sizeMismatch(name: name, shape: shape, bytes: offsets[1] - offsets[0]) }
                cells = product
            }
            guard cells * 4 == offsets[1] - offsets[0] else {
                throw .sizeMismatch(name: name, shape: shape, bytes: offsets[1] - offsets[0])
            }
            placed.append(Placed(name: name, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        placed.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        let dataBytes = bytes.count - headerEnd
        var position = 0
        for tensor in placed {
            if tensor.begin < position { throw .overlap(name: tensor.name, begin: tensor.begin, previousEnd: position) }
            if tensor.begin > position { throw .gap(name: tensor.name, begin: tensor.begin, previousEnd: position) }
            if tensor.end > dataBytes { throw .dataPastEnd(name: tensor.name, end: tensor.end, available: dataBytes) }
            position = tensor.end
        }
        if position != dataBytes { throw .trailingBytes(count: dataBytes - position) }
        let entries = placed.map { tensor -> Entry in
            let count = (tensor.end - tensor.begin) / 4
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let at = headerEnd + tensor.begin + 4 * i
                    let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                    buffer[i] = Float(bitPattern: bits)
                }
                initialized = count
            }
            return Entry(name: tensor.name, tensor: Tensor(shape: tensor.shape, data: values))
        }
        return (entries, metadata)
    }

    /// A JSON array of whole numbers, as Ints.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let items = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in items {
            guard let number = item as? NSNumber, let whole = Int(exactly: number.doubleValue) else { return nil }
            result.append(whole)
        }
        return result
    }
}

/// Why bytes are not a safetensors file dl can read: what was expected and what was found.
public enum SafetensorsProblem: Error, Equatable, Sendable {
    case truncated(bytes: Int)
    case headerPastEnd(claimed: UInt64, available: Int)
    case notSafetensors
    case badEntry(name: String, reason: String)
    case unsupportedDtype(name: String, dtype: String)
    case sizeMismatch(name: String, shape: [Int], bytes: Int)
    case overlap(name: String, begin: Int, previousEnd: Int)
    case gap(name: String, begin: Int, previousEnd: Int)
    case dataPastEnd(name: String, end: Int, available: Int)
    case trailingBytes(count: Int)

    public var message: String {
        switch self {
        case .truncated(let bytes):
            return "it is \(bytes) byte\(bytes == 1 ? "" : "s") long, shorter than the 8-byte header length a safetensors file starts with"
        case .headerPastEnd(let claimed, let available):
            return "its header length is \(claimed) bytes but only \(available) bytes follow (the file is truncated or not safetensors)"
        case .notSafetensors:
            return "it does not start with a safetensors header (a length, then a JSON object)"
        case .badEntry(let name, let reason):
            return "the header entry '\(name)' is malformed: \(reason)"
        case .unsupportedDtype(let name, let dtype):
            return "tensor '\(name)' has dtype \(dtype); dl reads F32 tensors only"
        case .sizeMismatch(let name, let shape, let bytes):
            return "tensor '\(name)' has shape \(shape) but \(bytes) bytes of data"
        case .overlap(let name, let begin, let previousEnd):
            return "tensor '\(name)' starts at byte \(begin), inside the tensor before it (which ends at \(previousEnd))"
        case .gap(let name, let begin, let previousEnd):
            return "tensor '\(name)' starts at byte \(begin), leaving a gap after the tensor before it (which ends at \(previousEnd))"
        case .dataPastEnd(let name, let end, let available):
            return "tensor '\(name)' ends at byte \(end) but the file holds \(available) bytes of data (it is truncated)"
        case .trailingBytes(let count):
            return "\(count) bytes follow the last tensor"
        }
    }
}
