import Engine

extension StatementTable {
    static let imageStatements: [StatementSpec] = [AugmentCommand.spec, ShowAugmentCommand.spec, ShowMistakesCommand.spec]
}

/// `augment`.
struct AugmentCommand: Command {
    static let off = Flag("off", doc: "remove the augmentation: training sees the images as they are")
    static let flip = Key<ImageAugmentation.Flip?>.choice("flip", doc: "mirror each image left-right (horizontal), top-bottom (vertical) or each independently (both), each with probability 1/2, as Keras's RandomFlip")
    static let rotate = Key<Double?>.number("rotate", .number(min: 0, max: ImageAugmentation.limits.rotate),
                                            doc: "largest turn in degrees: each image turns by an angle drawn in [-DEG, DEG] (Keras's RandomRotation takes DEG/360)")
    static let shift = Key<Double?>.number("shift", .number(min: 0, max: ImageAugmentation.limits.shift),
                                           doc: "largest shift as a share of the height and width, drawn in [-F, F] for each (Keras's RandomTranslation)")
    static let zoom = Key<Double?>.number("zoom", .number(min: 0, max: ImageAugmentation.limits.zoom),
                                          doc: "the area seen grows or shrinks by a share drawn in [-F, F], the same for both axes (Keras's RandomZoom: positive zooms out)")
    static let brightness = Key<Double?>.number("brightness", .number(min: 0, max: ImageAugmentation.limits.brightness),
                                                doc: "adds a share drawn in [-F, F] of the pixel range to every pixel, clipped to that range (Keras's RandomBrightness)")
    static let contrast = Key<Double?>.number("contrast", .number(min: 0, max: ImageAugmentation.limits.contrast),
                                              doc: "moves each channel away from its mean by a factor drawn in [1-F, 1+F], clipped to the pixel range (Keras's RandomContrast)")
    static let spec = StatementSpec(
        name: "augment", category: .data, keys: [flip.spec, rotate.spec, shift.spec, zoom.spec, brightness.spec, contrast.spec],
        flags: [off.spec],
        summary: "Change each training image at random in every batch (flips, turns, shifts, zooms, light): more data from the same pictures.",
        explanation: """
            `augment flip=horizontal rotate=15 zoom=0.1` makes every batch of `train` see each image changed \
            anew: mirrored, turned, shifted, zoomed, brighter or darker, with more or less contrast, as \
            Keras's preprocessing layers (RandomFlip, RandomRotation, RandomTranslation, RandomZoom, \
            RandomBrightness, RandomContrast) do, in that order, with their `reflect` fill at the edges. \
            The draws come from the seed: the same script gives the same numbers. Only the training \
            batches change: validation rows, `evaluate`, `predict` and the exports' inference see the \
            images as they are. The step is kept in `show state`, saved with the model, and written into \
            `export keras` (the preprocessing layers) and `export torch` (the same changes as tensor ops). \
            A new setting starts the next `train` from fresh weights; `augment off` removes it. \
            `show augment 4` draws one training image and four versions of it.
            """,
        examples: ["augment flip=horizontal rotate=15 zoom=0.1", "augment shift=0.1 brightness=0.2 contrast=0.2", "augment off"],
        command: AugmentCommand.self)

    /// nil: `augment off`.
    let augmentation: ImageAugmentation?
    let offGivenWith: String?
    let nothingGiven: Bool

    init(_ args: Arguments) {
        let given = ImageAugmentation(flip: args[Self.flip], rotate: args[Self.rotate] ?? 0, shift: args[Self.shift] ?? 0,
                                      zoom: args[Self.zoom] ?? 0, brightness: args[Self.brightness] ?? 0,
                                      contrast: args[Self.contrast] ?? 0)
        let keys = [Self.rotate, Self.shift, Self.zoom, Self.brightness, Self.contrast].filter { args.has($0) }.map(\.name)
            + (args.has(Self.flip) ? [Self.flip.name] : [])
        offGivenWith = args[Self.off] ? keys.first : nil
        nothingGiven = !args[Self.off] && keys.isEmpty
        augmentation = args[Self.off] ? nil : given
        range = args.statement.range
    }
    let range: SourceRange

    func check() throws {
        if let key = offGivenWith {
            throw Diagnostic("`augment off` removes the augmentation, but \(key)= was given too", at: range,
                             hint: "write `augment off` alone, or leave out `off` to set \(key)=")
        }
        if nothingGiven {
            throw Diagnostic("augment needs at least one change, but none was given", at: range,
                             hint: "e.g. `augment flip=horizontal rotate=15 zoom=0.1`; `augment off` removes it")
        }
        if let augmentation, augmentation.isIdentity {
            throw Diagnostic("augment with every amount 0 changes nothing", at: range,
                             hint: "give an amount above 0, e.g. `rotate=15`, or `augment off` to remove it")
        }
    }

    func run(in session: Session) throws { try session.augment(augmentation, at: range) }
    func explain(in session: Session) -> [String] {
        guard let augmentation else { return ["Training now sees each image exactly as loaded, every epoch."] }
        return [
            "Each training image is changed anew in every batch (\(augmentation.description)), so the network rarely sees the same picture twice.",
            "It learns what stays the same under these changes: a cat turned 10° is still a cat. That fights overfitting on a small set of photos.",
            "Choose changes that keep the label: a horizontal flip suits photos, not digits (a flipped 3 is no 3).",
        ]
    }
}

/// `show augment`.
struct ShowAugmentCommand: Command {
    static let count = Positional<Int>.integer("N", min: 1, max: 32, default: 4, doc: "how many augmented versions to draw")
    static let row = Key<Int?>.integer("row", min: 0, doc: "the row to draw (default: the first training row)")
    static let spec = StatementSpec(
        name: "show augment", category: .explore, positionals: [count.spec], keys: [row.spec],
        summary: "Draw one training image and N versions of it as `augment` changes them.",
        explanation: """
            `show augment 4` draws the first training image (or `row=R`) beside four versions of it, each \
            changed as `augment` changes images in training, so you can see whether the changes keep the \
            picture recognisable. Its draws are its own: looking never changes what training draws.
            """,
        examples: ["show augment 4", "show augment 8 row=12"],
        command: ShowAugmentCommand.self)

    let count: Placed<Int>
    let row: Placed<Int?>
    init(_ args: Arguments) { count = args.placed(Self.count); row = args.placed(Self.row); range = args.statement.range }
    let range: SourceRange

    func run(in session: Session) throws { try session.showAugment(count.value, row: row, at: range) }
    func explain(in session: Session) -> [String] { [
        "The first image is the one loaded; the others are what training may see of it in some batch.",
        "If a version no longer looks like its class, the changes are too strong: lower the amounts.",
    ] }
}

/// `show mistakes`.
struct ShowMistakesCommand: Command {
    static let count = Positional<Int>.integer("N", min: 1, max: 200, default: 16, doc: "the most images to draw")
    static let spec = StatementSpec(
        name: "show mistakes", category: .explore, positionals: [count.spec],
        summary: "Draw the test images the trained model gets wrong, each with its true and predicted class.",
        explanation: """
            `show mistakes` draws up to N (16) test images whose class the model gets wrong, the ones it \
            is surest of first, each captioned `true → predicted (probability)`: the picture to look at \
            after `evaluate`. Confident mistakes are often mislabelled images or classes that look alike.
            """,
        examples: ["show mistakes", "show mistakes 32"],
        command: ShowMistakesCommand.self)

    let count: Placed<Int>
    init(_ args: Arguments) { count = args.placed(Self.count); range = args.statement.range }
    let range: SourceRange

    func run(in session: Session) throws { try session.showMistakes(count.value, at: range) }
    func explain(in session: Session) -> [String] { [
        "Each image is a test row the model classifies wrongly: its true class, then the class it chose and how sure it was.",
        "Sure mistakes are worth a look: a wrong label in the data, or two classes that look alike, which more data or augmentation may separate.",
    ] }
}
