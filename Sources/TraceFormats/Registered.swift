import TraceModel

extension TraceFormats {
    /// The adapters of formats other than the native one, most specific first.
    ///
    /// Order matters only between formats whose first values could look alike; each adapter's
    /// `matches(_:)` should be as specific as its format allows.
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
    ]
}
