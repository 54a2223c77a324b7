import Tabular

/// `load images FOLDER [size=HxW] [color=rgb|gray] [skip=bad] [test=FOLDER]`: a folder of
/// photos, one subfolder per class.
struct LoadImagesCommand: Command {
    static let folder = Positional<String>.path(
        "FOLDER", doc: "a folder with one subfolder of images per class (or train/ and test/, each with one)")
    static let size = Key<[Int]?>.dimension(
        "size", 2, doc: "height x width every image is resized to, at most 1024x1024 (default: the most common size)")
    static let color = Key<String?>.word(
        "color", ImageColor.allCases.map(\.rawValue), doc: "rgb (3 channels) or gray (1) (default: gray when every image is grey, else rgb)")
    static let skip = Key<String?>.word("skip", ["bad"], doc: "skip=bad loads the images that decode and names those that do not")
    static let test = Key<String?>.path("test", doc: "a folder of test images with the same class folders: the test split")
    static let spec = StatementSpec(
        name: "load images", category: .data, positionals: [folder.spec], keys: [size.spec, color.spec, skip.spec, test.spec],
        summary: "Load a folder of PNG and JPEG images, one subfolder per class.",
        explanation: """
            Each subfolder is a class, named after it; classes are sorted as Keras's \
            image_dataset_from_directory sorts them, and `load` prints them with their counts. A folder \
            holding train/ and test/ (each with the class folders), or a `test=` folder, gives the split, \
            which a later `split` keeps. PNG and JPEG in 8 or 16 bits, grey, grey with alpha, RGB, RGBA, \
            palette or CMYK are read (alpha is dropped, as Keras and PIL do); every image is resized to \
            `size=` (bilinear, antialiased when shrinking, as PIL), by default the most common size. Files \
            that are not images by their extension (.DS_Store, README) are skipped with a note; a file \
            that does not decode stops the load, unless `skip=bad` skips it with a note. Pixels stay \
            8-bit until a batch needs them, so the images cost their pixel count in bytes; `scale` maps \
            0-255 to 0-1. Decoding runs on all cores.
            """,
        examples: ["load images \"pets/\"", "load images \"pets/\" size=64x64 color=rgb",
                   "load images \"scans/train\" test=\"scans/test\" color=gray skip=bad"],
        command: LoadImagesCommand.self)

    let folder: Placed<String>
    let size: Placed<[Int]?>
    let color: ImageColor?
    let skipBad: Bool
    let test: Placed<String?>

    init(_ args: Arguments) {
        folder = args.placed(Self.folder)
        size = args.placed(Self.size)
        color = args[Self.color].flatMap(ImageColor.init(rawValue:))
        skipBad = args[Self.skip] == "bad"
        test = args.placed(Self.test)
    }

    func check() throws {
        if let sides = size.value, sides.contains(where: { $0 > ImageLoader.maximumSide }) {
            throw Diagnostic("size=\(sides.map(String.init).joined(separator: "x")) is larger than \(ImageLoader.maximumSide)x\(ImageLoader.maximumSide), the largest image size load images makes",
                             at: size.range, hint: "choose a size such as 64x64 or 224x224")
        }
    }

    func run(in session: Session) throws { try session.loadImages(self) }
    func explain(in session: Session) -> [String] { [
        "Each image became one row of height x width x channels pixels (NHWC), and its folder's name its class.",
        "The pixels are kept as bytes (0-255); `scale` maps them to 0-1 for the network, a batch at a time.",
    ] }
}
