import Foundation

/// The server's OpenAPI 3.1 document, served at `/openapi.json` and committed as `docs/openapi.json` (a test keeps
/// the two equal and checks that every route is described and every described bound is enforced). Bounds come
/// from `APILimits`, the same constants the request checks use.
enum OpenAPIDocument {
    static func make(version: String = "1") -> JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Ferret",
                "version": .string(version),
                "description": .string("Local search and answers over your files: hybrid ColBERT + BM25 search, reranking, token "
                    + "vectors, OpenAI-compatible chat and text completions answered from the index with verified citations, "
                    + "and index jobs confined to the server's folders. Errors are {\"error\":{\"message\",\"type\",\"code\"}}."),
            ],
            "servers": [["url": "http://127.0.0.1:8080"]],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer",
                                               "description": "Needed on every route but /health when the server runs with --api-key."]],
                "schemas": ["Error": errorSchema],
                "responses": ["Error": ["description": "An OpenAI-shaped error (400, 401, 403, 404, 413, 429, 503, 504…).",
                                        "content": json(ref("Error"))]],
            ],
            "security": [["bearer": []], [:]],
            "paths": .object(routes),
        ]
    }

    // MARK: Routes

    static var routes: [String: JSONValue] {
        [
            "/health": ["get": operation("Liveness; needs no key.", response: object(["status": string()]))],
            "/openapi.json": ["get": operation("This document.", response: ["type": "object"])],
            "/v1/models": ["get": operation("The encoder and the generator served.", response: list())],
            "/v1/status": ["get": operation("Index statistics, as `ferret status --json`.", response: ["type": "object"])],
            "/v1/search": ["post": operation("Hybrid (ColBERT MaxSim + BM25), semantic or lexical search; the JSON of "
                                             + "`ferret search --json`, confined to the server's folders.",
                                             body: searchBody, example: ["query": "kettle descaling", "k": 3],
                                             response: ["type": "array", "items": ["type": "object"]])],
            "/v1/rerank": ["post": operation("Documents ordered by normalised MaxSim against the query.",
                                             body: rerankBody, example: ["query": "kettle", "documents": ["The kettle boils.", "Tea."]],
                                             response: ["type": "object"])],
            "/v1/encode": ["post": operation("Token vectors of queries or documents.", body: encodeBody,
                                             example: ["input": "kettle", "input_type": "query"], response: ["type": "object"])],
            "/v1/embeddings": ["post": operation("Always 400 `multi_vector_model`: a ColBERT model has no single vector per text.",
                                                 response: errorSchema)],
            "/v1/documents": [
                "get": operation("Indexed documents inside the server's folders.", response: list()),
                "post": operation("Same as POST /v1/index.", body: indexBody, example: ["wait": true], response: jobSchema,
                                  accepted: true),
                "delete": operation("Forget documents (folders: everything under them), as `ferret remove`.",
                                    body: pathsBody, example: ["paths": ["/nothing/indexed/here"]], response: ["type": "object"]),
            ],
            "/v1/index": ["post": operation("Start an index job over paths inside the server's folders (default: all of them). "
                                            + "202 with the job (and Location), or 200 with the finished job when `wait` is true.",
                                            body: indexBody, example: ["wait": true], response: jobSchema, accepted: true)],
            "/v1/jobs": ["get": operation("Index jobs, newest first.", response: list())],
            "/v1/jobs/{id}": [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": string()]],
                "get": operation("One index job: status, progress, summary.", response: jobSchema),
                "delete": operation("Cancel a job (it stops between files).", response: jobSchema),
            ],
            "/v1/chat/completions": ["post": operation(
                "OpenAI chat completion answered from the index with verified citations (`sources`, `ferret`), or plain chat "
                + "with `retrieval.enabled: false`; `stream: true` sends server-sent events.",
                body: chatBody, example: ["messages": [["role": "user", "content": "How often should the kettle be descaled?"]]],
                response: ["type": "object", "required": ["id", "object", "choices", "usage"]])],
            "/v1/completions": ["post": operation("OpenAI text completion of a raw prompt with the generator.",
                                                  body: completionBody, example: ["prompt": "The kettle", "max_tokens": 4],
                                                  response: ["type": "object", "required": ["id", "object", "choices", "usage"]])],
        ]
    }

    // MARK: Request bodies

    static var searchBody: JSONValue {
        object(["query": query, "k": integer(APILimits.searchK, "Hits wanted (default 10)."),
                "mode": ["type": "string", "enum": ["hybrid", "semantic", "lexical"]],
                "path": string("Glob over document paths (`*.md`, `notes/**`).")], required: ["query"])
    }

    static var rerankBody: JSONValue {
        object(["model": string(), "query": query,
                "documents": ["type": "array", "items": string(), "minItems": .integer(APILimits.batchItems.lowerBound),
                              "maxItems": .integer(APILimits.batchItems.upperBound)],
                "top_n": ["type": "integer", "minimum": 1], "return_documents": ["type": "boolean"]],
               required: ["query", "documents"])
    }

    static var encodeBody: JSONValue {
        object(["input": ["oneOf": [string(), ["type": "array", "items": string(), "minItems": 1,
                                               "maxItems": .integer(APILimits.batchItems.upperBound)]]],
                "input_type": ["type": "string", "enum": ["query", "document"]]], required: ["input", "input_type"])
    }

    static var pathList: JSONValue {
        ["type": "array", "items": string(), "minItems": 1, "maxItems": .integer(APILimits.paths.upperBound)]
    }

    static var pathsBody: JSONValue { object(["paths": pathList], required: ["paths"]) }

    static var indexBody: JSONValue {
        object(["paths": pathList, "wait": ["type": "boolean", "description": "Answer when the job has finished."]])
    }

    static var generationFields: [String: JSONValue] {
        [
            "model": string(), "stream": ["type": "boolean"],
            "max_tokens": integer(APILimits.maxTokens),
            "temperature": ["type": "number", "minimum": .number(APILimits.temperature.lowerBound),
                            "maximum": .number(APILimits.temperature.upperBound), "description": "Default 0 (greedy)."],
            "top_p": ["type": "number", "exclusiveMinimum": 0, "maximum": 1],
            "n": ["type": "integer", "minimum": 1, "maximum": 1],
            "seed": ["type": "integer"],
            "stop": ["oneOf": [string(), ["type": "array", "items": ["type": "string", "minLength": 1,
                                                                     "maxLength": .integer(APILimits.stopCharacters)],
                                          "maxItems": .integer(APILimits.stopStrings)]]],
            "stream_options": object(["include_usage": ["type": "boolean"]]),
            "presence_penalty": ["type": "number", "minimum": 0, "maximum": 0],
            "frequency_penalty": ["type": "number", "minimum": 0, "maximum": 0],
            "logprobs": ["type": "boolean", "const": false],
        ]
    }

    static var chatBody: JSONValue {
        var fields = generationFields
        fields["messages"] = ["type": "array", "minItems": 1, "items": object(
            ["role": ["type": "string", "enum": ["system", "user", "assistant"]],
             "content": ["oneOf": [string(), ["type": "array", "items": ["type": "object"]]]]], required: ["role", "content"])]
        fields["max_completion_tokens"] = integer(APILimits.maxTokens)
        fields["retrieval"] = object(["enabled": ["type": "boolean"], "top_k": integer(APILimits.answerTopK),
                                      "min_score": ["type": "number"]])
        return object(fields, required: ["messages"])
    }

    static var completionBody: JSONValue {
        var fields = generationFields
        fields["prompt"] = ["oneOf": [["type": "string", "minLength": 1], ["type": "array", "items": string(), "minItems": 1, "maxItems": 1]]]
        fields["echo"] = ["type": "boolean"]
        fields["suffix"] = ["type": "string", "maxLength": 0]
        fields["best_of"] = ["type": "integer", "minimum": 1, "maximum": 1]
        return object(fields, required: ["prompt"])
    }

    // MARK: Pieces

    static var query: JSONValue {
        ["type": "string", "minLength": 1, "maxLength": .integer(APILimits.queryCharacters)]
    }

    static var jobSchema: JSONValue {
        object(["id": string(), "object": ["const": "index.job"],
                "status": ["type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]],
                "paths": ["type": "array", "items": string()], "progress": ["type": "object"], "summary": ["type": "object"],
                "error": string()], required: ["id", "object", "status"])
    }

    static var errorSchema: JSONValue {
        object(["error": object(["message": string(), "type": string(), "code": ["type": ["string", "null"]]],
                                required: ["message", "type", "code"])], required: ["error"])
    }

    static func operation(_ summary: String, body: JSONValue? = nil, example: JSONValue? = nil, response: JSONValue,
                          accepted: Bool = false) -> JSONValue {
        var responses: [String: JSONValue] = ["200": ["description": "OK", "content": json(response)],
                                              "default": ["$ref": "#/components/responses/Error"]]
        if accepted { responses["202"] = ["description": "Job accepted", "content": json(response)] }
        var result: [String: JSONValue] = ["summary": .string(summary), "responses": .object(responses)]
        if let body {
            var media: [String: JSONValue] = ["schema": body]
            if let example { media["example"] = example }
            result["requestBody"] = ["required": true, "content": ["application/json": .object(media)]]
        }
        return .object(result)
    }

    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    static func string(_ description: String? = nil) -> JSONValue {
        description.map { ["type": "string", "description": .string($0)] } ?? ["type": "string"]
    }

    static func integer(_ range: ClosedRange<Int>, _ description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "integer", "minimum": .integer(range.lowerBound), "maximum": .integer(range.upperBound)]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func list() -> JSONValue {
        object(["object": ["const": "list"], "data": ["type": "array", "items": ["type": "object"]]], required: ["object", "data"])
    }

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }
}

extension FerretServer {
    /// The OpenAPI document as pretty-printed JSON with sorted keys (what `docs/openapi.json` holds).
    public static var openAPIDocument: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(OpenAPIDocument.make())) ?? Data(), as: UTF8.self)
    }
}
