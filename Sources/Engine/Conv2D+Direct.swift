import DLCore

// The direct path of `Conv2D`, for layers with at most `DirectConvolution.maxFilters` filters:
// a padded copy of the input convolved by `DirectConvolution`'s kernels instead of im2col + sgemm.
extension Conv2D {
    // x: [batch, inH, inW, inC] -> padded copy -> y: [batch, outH, outW, filters]
    func forwardDirect(_ input: Tensor, _ direct: DirectConvolution) {
        let g = geometry, width = filters, activation = self.activation
        let batch = input.rows, paddedSize = direct.paddedImageSize
        paddedInput.resize(rows: batch)
        output.resize(rows: batch)
        input.data.withUnsafeBufferPointer { x in
            paddedInput.data.withUnsafeMutableBufferPointer { padded in
                kernel.value.data.withUnsafeBufferPointer { k in
                    bias.value.data.withUnsafeBufferPointer { b in
                        output.data.withUnsafeMutableBufferPointer { y in
                            guard batch > 0 else { return }
                            let (xBase, pBase, kBase, bBase, yBase) =
                                (x.baseAddress!, padded.baseAddress!, k.baseAddress!, b.baseAddress!, y.baseAddress!)
                            // Images are independent: each thread pads, convolves and activates its own.
                            forEachPart(of: batch, work: batch * g.positions * g.patchSize * width) { part in
                                let paddedPart = pBase + part.lowerBound * paddedSize
                                let yPart = yBase + part.lowerBound * g.positions * width
                                direct.pad(xBase + part.lowerBound * g.inputSize, images: part.count, into: paddedPart)
                                let finished = direct.forward(paddedPart, images: part.count, kernel: kBase, bias: bBase,
                                                              activation: activation, into: yPart)
                                if !finished {
                                    activation.applyWithBias(yPart, rows: part.count * g.positions, width: width, bias: bBase)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // dz: [batch, outH, outW, filters] -> dL/dx (or nothing for a first layer);
    // kernel grad = the chains over the rows added in order, bias grad = column sums.
    func backwardDirect(_ dzTensor: Tensor, _ direct: DirectConvolution) -> Tensor {
        let g = geometry, width = filters, patch = g.patchSize
        let rows = output.rows * g.positions, chainSize = patch * width
        reductionChains(rows, into: &chainBounds)
        let chains = chainBounds.count - 1
        chainSums.resize(rows: chains)
        dzTensor.data.withUnsafeBufferPointer { dzBuffer in
            paddedInput.data.withUnsafeBufferPointer { padded in
                chainBounds.withUnsafeBufferPointer { bounds in
                    chainSums.data.withUnsafeMutableBufferPointer { sums in
                        kernel.gradient.data.withUnsafeMutableBufferPointer { dk in
                            bias.gradient.data.withUnsafeMutableBufferPointer { db in
                                dk.update(repeating: 0)
                                db.update(repeating: 0)
                                guard rows > 0 else { return }
                                let (dz, xPadded, sumBase) = (dzBuffer.baseAddress!, padded.baseAddress!, sums.baseAddress!)
                                // Chains are independent; they are added one after another afterwards.
                                forEachPart(of: chains, work: rows * chainSize) { part in
                                    for c in part {
                                        direct.kernelGradientChain(xPadded, dz: dz, dzRows: rows, rows: bounds[c]..<bounds[c + 1],
                                                                   into: sumBase + c * chainSize)
                                    }
                                }
                                addChains(sumBase, count: chains, size: chainSize, into: dk.baseAddress!)
                                columnSums(dz, rows: rows, width: width, into: db.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        guard computesInputGradient else { return skippedGradient }
        // dCol = dz K^T, scattered back onto the pixels, as on the im2col path.
        gradColumns.resize(rows: rows)
        gradInput.resize(rows: output.rows)
        dzTensor.data.withUnsafeBufferPointer { dz in
            kernel.value.data.withUnsafeBufferPointer { k in
                gradColumns.data.withUnsafeMutableBufferPointer { dcol in
                    gradInput.data.withUnsafeMutableBufferPointer { dx in
                        guard rows > 0 else { return }
                        inputGradient(dz.baseAddress!, kernel: k.baseAddress!, images: 0..<output.rows,
                                      dcol: dcol.baseAddress!, dx: dx.baseAddress!)
                    }
                }
            }
        }
        return gradInput
    }
}
