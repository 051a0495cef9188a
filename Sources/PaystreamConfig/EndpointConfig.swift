/// One resource's endpoint, as dlt's `endpoint` writes it.
public struct EndpointConfig: Sendable, Equatable {
    public var path: String
    public var method: HTTPMethod
    /// Query parameters (scalars only; an `incremental` mapping is taken out into
    /// `incremental`). Values may hold dlt's `{incremental.…}` placeholders.
    public var params: [String: String]
    /// A JSON body for POST endpoints.
    public var json: ConfigValue?
    public var dataSelector: String?
    public var paginator: PaginatorConfig?
    public var incremental: IncrementalConfig?
    public var errorHandler: ErrorHandlerConfig

    init(_ value: ConfigValue, errorHandlerDefaults: ErrorHandlerConfig, at path: String) throws(ConfigError) {
        var r = try ConfigReader(value, at: path)
        self.path = try r.requiredString("path")
        guard let method = HTTPMethod(rawValue: (try r.string("method") ?? "GET").uppercased()) else {
            throw ConfigError(at: r.child("method"), "expected GET or POST")
        }
        self.method = method
        params = [:]
        incremental = nil
        if let p = r.value("params") {
            guard case .object(let map) = p else { throw ConfigError(at: r.child("params"), "expected a mapping, found \(p.typeName)") }
            for (name, item) in map.sorted(by: { $0.key < $1.key }) {
                let itemPath = "\(r.child("params")).\(name)"
                if case .object(var spec) = item, case .string("incremental")? = spec["type"] {
                    // dlt's in-params form: the parameter named here carries the start value;
                    // as in dlt, an end belongs in `endpoint.incremental`.
                    for key in ["end_param", "end_value", "start_param"] where spec[key] != nil {
                        throw ConfigError(at: "\(itemPath).\(key)", "not allowed in a params incremental (as in dlt); use endpoint.incremental with start_param and end_param")
                    }
                    spec["type"] = nil
                    spec["start_param"] = .string(name)
                    incremental = try IncrementalConfig(.object(spec), at: itemPath)
                    continue
                }
                guard let text = item.scalarText else { throw ConfigError(at: itemPath, "expected a scalar, found \(item.typeName)") }
                params[name] = text
            }
        }
        json = r.value("json")
        dataSelector = try r.string("data_selector")
        paginator = try r.value("paginator").map { v throws(ConfigError) in try PaginatorConfig(v, at: r.child("paginator")) }
        if let inc = r.value("incremental") {
            guard incremental == nil else { throw ConfigError(at: r.child("incremental"), "incremental is given both here and in params") }
            incremental = try IncrementalConfig(inc, at: r.child("incremental"))
        }
        errorHandler = try r.value("error_handler").map { v throws(ConfigError) in
            try ErrorHandlerConfig(v, over: errorHandlerDefaults, at: r.child("error_handler"))
        } ?? errorHandlerDefaults
        try r.finish()
        if incremental == nil, let (location, name) = firstPlaceholder(at: path) {
            throw ConfigError(at: location, "'{\(name)}' needs an incremental cursor on this endpoint (dlt's incremental: {cursor_path: …})")
        }
    }

    /// The first incremental placeholder in the path, params or json, and where it is. Only
    /// known names count: these values went through `${NAME}` substitution, and text from the
    /// environment must not show in an error.
    private func firstPlaceholder(at path: String) -> (String, String)? {
        func known(_ text: String) -> String? { Placeholder.names(in: text).first(where: Placeholder.known.contains) }
        if let name = known(self.path) { return ("\(path).path", name) }
        for (param, value) in params.sorted(by: { $0.key < $1.key }) {
            if let name = known(value) { return ("\(path).params.\(param)", name) }
        }
        if let json, let name = json.strings.lazy.compactMap(known).first { return ("\(path).json", name) }
        return nil
    }
}
