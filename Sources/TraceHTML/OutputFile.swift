/// One file of a rendered report: a path relative to the output folder and its bytes.
///
/// The renderer returns these and never writes to disk; the caller decides where they go.
public struct OutputFile: Sendable, Equatable {
    /// The path relative to the report folder, with `/` separators, for example `runs/abc.html`.
    public var relativePath: String
    /// The file's contents.
    public var contents: [UInt8]

    /// Creates an output file.
    public init(relativePath: String, contents: [UInt8]) {
        self.relativePath = relativePath
        self.contents = contents
    }
}
