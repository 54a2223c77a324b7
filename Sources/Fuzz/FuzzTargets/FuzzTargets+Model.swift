extension FuzzTargets {
    /// The model reader: the bytes as a file given to `load model` (safetensors header,
    /// tensors, and the metadata holding the pipeline, layers and history), then the
    /// statements that read what it restored.
    public static func model(_ input: UnsafeBufferPointer<UInt8>) {
        withFile(input, suffix: ".safetensors") { path in
            session(["load model \"\(path)\"", "summary", "show", "show state", "history"])
        }
    }
}
