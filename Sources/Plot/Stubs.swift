extension Histogram { func terminalLines(_ style: TerminalStyle) -> [TermLine] { [] }; func svgDocument() -> String { "" } }
extension BoxPlot { func terminalLines(_ style: TerminalStyle) -> [TermLine] { [] }; func svgDocument() -> String { "" } }
extension Heatmap { func terminalLines(_ style: TerminalStyle) -> [TermLine] { [] }; func svgDocument() -> String { "" } }
extension DecisionRegions { func terminalLines(_ style: TerminalStyle) -> [TermLine] { [] }; func svgDocument() -> String { "" } }
