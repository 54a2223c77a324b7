/// How a folder of images was read (`load images`): what a saved model needs to read new
/// image files the same way (`predict "x.png"` resizes to its size, converts to its colour
/// mode, and scales as the pipeline's scaler says).
struct ImageSource: Equatable, Sendable, Codable {
    /// The folder as given, for messages and exported scripts.
    var folder: String
    /// The `test=` folder, when one was given.
    var testFolder: String?
    var height: Int
    var width: Int
    /// "rgb" or "gray".
    var color: String
    /// Whether the folder brought its split (train/ and test/, or test=).
    var ownSplit: Bool

    var channels: Int { color == "gray" ? 1 : 3 }

    var splitDescription: String {
        testFolder != nil ? "the test= folder's images are the test rows" : "the folder's own train/ and test/"
    }
}
