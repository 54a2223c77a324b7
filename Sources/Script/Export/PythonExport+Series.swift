/// PyTorch modules for series models: dl (and Keras) keep a series [N, steps, channels] between
/// layers, while PyTorch's 1-D convolutions, pools and batch norm take [N, channels, steps]. Each
/// subclass moves the channels in and back, so the layers stay in dl's order and layout, the
/// weights load by isinstance as their base class's, and `padding=same` pads as TensorFlow does.
extension PythonExport {
    static let seriesTorchModules = [
        "class Conv1dNWC(nn.Conv1d):",
        "    \"\"\"nn.Conv1d on [N, steps, channels], after TensorFlow's zero padding `pads` (before, after).\"\"\"",
        "    def __init__(self, *args, pads=(0, 0), **kwargs):",
        "        super().__init__(*args, **kwargs)",
        "        self.pads = pads",
        "",
        "    def forward(self, x):",
        "        return super().forward(nn.functional.pad(x.transpose(1, 2), self.pads)).transpose(1, 2)",
        "",
        "",
        "class BatchNorm1dNWC(nn.BatchNorm1d):",
        "    def forward(self, x):",
        "        return super().forward(x.transpose(1, 2)).transpose(1, 2)",
        "",
        "",
        "class MaxPool1dNWC(nn.MaxPool1d):",
        "    def forward(self, x):",
        "        return super().forward(x.transpose(1, 2)).transpose(1, 2)",
        "",
        "",
        "class AvgPool1dNWC(nn.AvgPool1d):",
        "    def forward(self, x):",
        "        return super().forward(x.transpose(1, 2)).transpose(1, 2)",
        "",
        "",
        "class AdaptiveAvgPool1dNWC(nn.AdaptiveAvgPool1d):",
        "    \"\"\"Each channel's mean over the steps: [N, steps, channels] -> [N, channels].\"\"\"",
        "    def forward(self, x):",
        "        return super().forward(x.transpose(1, 2)).flatten(1)",
        "",
        "",
        "class AdaptiveMaxPool1dNWC(nn.AdaptiveMaxPool1d):",
        "    def forward(self, x):",
        "        return super().forward(x.transpose(1, 2)).flatten(1)",
        "",
        "",
    ]
}
