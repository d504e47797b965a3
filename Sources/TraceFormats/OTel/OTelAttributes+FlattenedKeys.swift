import TraceJSON

/// Flattened attribute keys (`llm.input_messages.0.message.role`) turned back into nested arrays and objects.
extension OTelAttributes {
    /// The attributes under `prefix` as one value: flattened keys (`prefix.0.message.role`) and
    /// nested values (`prefix: [{"message.role": …}]`) both become nested arrays and objects
    /// (`[{"message": {"role": …}}]`). Path components that are whole numbers become array
    /// indices. Every key read is added to `consumed`.
    ///
    /// - Parameter includeExact: Whether an attribute named exactly `prefix` is part of the value.
    static func tree(
        _ attributes: JSONObject, prefix: String, includeExact: Bool = true, consumed: inout Set<String>
    ) -> JSONValue? {
        let dotted = prefix + "."
        var leaves: [(path: [Substring], value: JSONValue)] = []
        for member in attributes.members {
            let key = member.key
            var rest: [Substring]
            if key == prefix {
                guard includeExact else { continue }
                rest = []
            } else if key.hasPrefix(dotted) {
                rest = key.dropFirst(dotted.count).split(separator: ".", omittingEmptySubsequences: false)
            } else {
                continue
            }
            consumed.insert(key)
            flatten(member.value, at: rest, into: &leaves)
        }
        guard !leaves.isEmpty else { return nil }
        return build(leaves)
    }

    /// Expands dotted member names inside a value (`{"message.role": "user"}` becomes
    /// `{"message": {"role": "user"}}`).
    static func expanded(_ value: JSONValue) -> JSONValue {
        var leaves: [(path: [Substring], value: JSONValue)] = []
        flatten(value, at: [], into: &leaves)
        return build(leaves)
    }

    /// Appends the scalar leaves of `value` with their paths below `base`. Empty containers are
    /// leaves. Dotted member names are split into path components.
    private static func flatten(
        _ value: JSONValue, at base: [Substring], into leaves: inout [(path: [Substring], value: JSONValue)]
    ) {
        var stack: [(path: [Substring], value: JSONValue)] = [(base, value)]
        while let (path, value) = stack.popLast() {
            switch value {
            case .array(let items) where !items.isEmpty:
                for (i, item) in items.enumerated().reversed() {
                    stack.append((path + [Substring(String(i))], item))
                }
            case .object(let o) where !o.isEmpty:
                for member in o.members.reversed() {
                    let parts = member.key.split(separator: ".", omittingEmptySubsequences: false)
                    stack.append((path + parts, member.value))
                }
            default:
                leaves.append((path, value))
            }
        }
    }

    /// Builds nested arrays and objects from leaves with paths. Nodes whose keys are all whole
    /// numbers become arrays ordered by index.
    private static func build(_ leaves: [(path: [Substring], value: JSONValue)]) -> JSONValue {
        struct Node {
            var leaf: JSONValue?
            var keys: [Substring] = []
            var children: [Int] = []
            var index: [Substring: Int] = [:]
        }
        var nodes = [Node(leaf: nil)]
        for (path, value) in leaves {
            var current = 0
            for component in path {
                if let next = nodes[current].index[component] {
                    current = next
                } else {
                    let next = nodes.count
                    nodes.append(Node(leaf: nil))
                    nodes[current].index[component] = next
                    nodes[current].keys.append(component)
                    nodes[current].children.append(next)
                    current = next
                }
            }
            // A later value for the same path wins, as with repeated attribute keys.
            nodes[current].leaf = value
        }
        // Children always have larger indices than their parents: build from the end.
        var values = [JSONValue](repeating: .null, count: nodes.count)
        for i in nodes.indices.reversed() {
            let node = nodes[i]
            if node.children.isEmpty {
                values[i] = node.leaf ?? .null
                continue
            }
            let numeric = node.keys.compactMap { k -> Int? in
                guard k.count <= 9, k.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
                return Int(k)
            }
            if numeric.count == node.keys.count && node.leaf == nil {
                let order = node.children.indices.sorted { numeric[$0] < numeric[$1] }
                values[i] = .array(order.map { values[node.children[$0]] })
            } else {
                var members: [(key: String, value: JSONValue)] = []
                if let leaf = node.leaf, !leaf.isNull { members.append(("value", leaf)) }
                for (k, child) in zip(node.keys, node.children) {
                    members.append((String(k), values[child]))
                }
                values[i] = .object(JSONObject(members))
            }
            // Free the children's copies as we go.
            for child in node.children { values[child] = .null }
        }
        return values[0]
    }
}
