extension Session {
    /// Says a warning: the statement goes on. The output sink gets it as a value (a terminal
    /// and a pipe show `warning: …` among the statement's output, as dl always printed it; `dl
    /// --json` and a notebook show it apart), and the report keeps its text in that place.
    /// Without a place of its own, it points at the line of the statement that is running.
    func warn(_ diagnostic: Diagnostic) {
        var warning = diagnostic
        warning.severity = .warning
        let renderer = context.sources.last ?? DiagnosticRenderer(fileName: "<stdin>", source: "", useColor: false)
        var reported = renderer.report(warning)
        if warning.range == nil, let statement = recorder.currentStatement {
            reported.fileName = statement.fileName
            reported.line = statement.line
        }
        recorder.report(warning: reported)
    }
}
