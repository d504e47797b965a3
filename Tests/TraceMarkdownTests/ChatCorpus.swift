/// Deterministic Markdown documents shaped like LLM chat turns and tool output.
enum ChatCorpus {
    /// Returns `count` distinct documents; document `i` is the same on every call.
    static func documents(count: Int) -> [String] {
        (0..<count).map(document)
    }

    /// One chat-style document mixing paragraphs, emphasis, lists, code fences, links and images.
    static func document(_ index: Int) -> String {
        let topic = topics[index % topics.count]
        let language = languages[index % languages.count]
        var parts: [String] = []
        parts.append("## Step \(index): \(topic)")
        parts.append(
            """
            I looked at the **\(topic)** issue again. The *short* answer is that the `\(topic)Handler` \
            keeps a reference after the request finishes, so memory grows by roughly \(index * 3 + 7) KB \
            per call. See [the design notes](https://example.com/docs/\(index)#details "Design \(index)") \
            and [the local file](docs/\(topic).md) for context.
            """
        )
        parts.append(
            """
            Things to check:

            1. Does `flush()` run before `close()`?
            2. Is the *retry* budget (\(index % 5 + 1) attempts) respected?
               - nested item with **bold** and a [fragment link](#step-\(index))
               - another nested item: "quoted" text -- with dashes
            3. Are errors reported to <ops+\(index)@example.com>?
            """
        )
        parts.append(
            """
            ```\(language)
            func handle\(index)(_ input: [UInt8]) -> Int {
                // <b>not markup</b> & "entities" stay escaped
                return input.count * \(index)
            }
            ```
            """
        )
        if index % 3 == 0 {
            parts.append("> Note: the tool returned `exit \(index % 4)` and printed <script>alert(\(index))</script>.")
        }
        if index % 4 == 1 {
            parts.append("Avoid [this](javascript:alert(\(index))) and ![chart](https://cdn.example.com/\(index).png).")
        }
        if index % 5 == 2 {
            let pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\(index)AAAAAElFTkSuQmCC"
            parts.append("Inline pixel: ![dot](data:image/png;base64,\(pixel))")
        }
        if index % 7 == 3 {
            parts.append(
                """
                | not | a | table |
                |-----|---|-------|
                Line one with trailing spaces  
                line two\\
                line three --- done.
                """
            )
        }
        parts.append("Let me know if you want me to open a PR for **step \(index + 1)**.")
        return parts.joined(separator: "\n\n") + "\n"
    }

    private static let topics = [
        "cache", "parser", "retry", "timeout", "allocator", "scheduler", "tokenizer", "renderer", "index", "socket",
        "logger", "config", "router",
    ]

    private static let languages = ["swift", "python", "json", "", "bash", "diff"]
}
