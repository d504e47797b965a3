import TraceModel

extension TraceFormats {
    /// Every adapter, most specific first; the native format comes last, as the most general.
    ///
    /// Order matters only between formats whose first values could look alike; each adapter's
    /// `matches(_:)` should be as specific as its format allows. Adding a format is one file with
    /// its adapter and one line here (see `docs/adding-a-format.md`).
    static let registered: [any TraceFormatDecoder] = [
        OTLPJSONDecoder(),
        JaegerDecoder(),
        AnyAgentDecoder(),
        OTelJSSpanDecoder(),
        OTelConsoleDecoder(),
        OpenAIAgentsDecoder(),
        LangSmithDecoder(),
        BraintrustDecoder(),
        LangfuseDecoder(),
        ZipkinDecoder(),
        InspectDecoder(),
        SWEAgentDecoder(),
        NativeTraceDecoder(),
    ]
}
