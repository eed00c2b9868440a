import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Server
import Testing
import TestSupport

/// The OpenAPI document, the router and the request checks agree: the committed file is what the server serves,
/// every route is described and every described operation exists, each example is accepted, and breaking any one
/// documented rule of an example (a bound, a type, an enum, a required field) is answered 400.
@Suite struct OpenAPITests {
    static func document() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(FerretServer.openAPIDocument.utf8)) as! [String: Any]
    }

    @Test func theCommittedDocumentIsTheServedOne() async throws {
        let committed = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(committed.trimmingCharacters(in: .whitespacesAndNewlines) == FerretServer.openAPIDocument,
                "docs/openapi.json is stale: run `ferret serve --print-openapi > docs/openapi.json`")
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        try await fixture.withClient { client in
            let served = try await client.get("/openapi.json")
            let object = try JSONSerialization.jsonObject(with: Data(served.body.utf8)) as? [String: Any]
            #expect(served.status == 200 && object?["openapi"] as? String == "3.1.0")
            #expect(NSDictionary(dictionary: object ?? [:]).isEqual(to: try Self.document()))
        }
    }

    @Test func everyRouteIsDescribedAndEveryDescriptionIsARoute() throws {
        let fixture = try ServerFixture()
        defer { fixture.cleanup() }
        let routed = Set(fixture.server.makeRouter().routes.map { route in
            "\(route.method.rawValue) " + route.path.description.replacingOccurrences(of: ":id", with: "{id}")
        })
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, item in
            item.keys.filter { ["get", "post", "delete", "put", "patch"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
        #expect(routed == described, "only routed: \(routed.subtracting(described)); only described: \(described.subtracting(routed))")
    }

    struct Case: Sendable {
        let method: String
        let path: String
        /// nil: the example itself.
        let rule: String?
        let body: Data
    }

    @Test func examplesPassAndEachBrokenRuleIs400() async throws {
        let fixture = try ServerFixture(encoded: true, generator: true, servesWholeFolder: true)
        defer { fixture.cleanup() }
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var cases: [Case] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, value) in item.sorted(by: { $0.key < $1.key }) {
                guard let operation = value as? [String: Any],
                      let media = ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any],
                      let schema = media["schema"] as? [String: Any], let example = media["example"] as? [String: Any]
                else { continue }
                cases.append(Case(method: method, path: path, rule: nil, body: try JSONSerialization.data(withJSONObject: example)))
                for (rule, broken) in Self.violations(of: example, schema: schema) {
                    cases.append(Case(method: method, path: path, rule: rule, body: try JSONSerialization.data(withJSONObject: broken)))
                }
            }
        }
        #expect(cases.filter { $0.rule != nil }.count > 60, "only \(cases.count) cases")
        let all = cases
        try await fixture.withClient { client in
            for test in all {
                let response = try await client.execute(uri: test.path, method: HTTPRequest.Method(rawValue: test.method.uppercased())!,
                                                        body: ByteBuffer(bytes: test.body))
                let status = Int(response.status.code), body = String(buffer: response.body).prefix(200)
                if let rule = test.rule {
                    #expect(status == 400, "\(test.method) \(test.path) with \(rule): \(status) \(body)")
                } else {
                    #expect(status != 400 && status < 500, "\(test.method) \(test.path) example: \(status) \(body)")
                }
            }
        }
    }

    /// The example with one documented rule broken, for every rule of every (top-level or nested object) property.
    static func violations(of example: [String: Any], schema: [String: Any]) -> [(String, [String: Any])] {
        var cases: [(String, [String: Any])] = []
        let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
        for required in schema["required"] as? [String] ?? [] {
            var broken = example
            broken[required] = nil
            cases.append(("\(required) missing", broken))
        }
        for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
            func with(_ value: Any, _ rule: String) {
                var broken = example
                broken[name] = value
                cases.append(("\(name) \(rule)", broken))
            }
            let type = property["type"] as? String
            if let minimum = property["minimum"] as? Int, type == "integer" { with(minimum - 1, "below minimum") }
            if let maximum = property["maximum"] as? Int, type == "integer" { with(maximum + 1, "above maximum") }
            if type == "number" {
                if let minimum = property["minimum"] as? Double { with(minimum - 1, "below minimum") }
                if let maximum = property["maximum"] as? Double { with(maximum + 1, "above maximum") }
                if let exclusive = property["exclusiveMinimum"] as? Double { with(exclusive, "at the exclusive minimum") }
            }
            if let minLength = property["minLength"] as? Int, minLength > 0 { with("", "too short") }
            if let maxLength = property["maxLength"] as? Int { with(String(repeating: "x", count: maxLength + 1), "too long") }
            if property["enum"] != nil { with("no-such-value", "outside the enum") }
            if let constant = property["const"] as? Bool { with(!constant, "not the constant") }
            if type == "array" {
                if let minItems = property["minItems"] as? Int, minItems > 0 { with([String](), "with too few items") }
                if let maxItems = property["maxItems"] as? Int {
                    with([String](repeating: "/tmp/x", count: maxItems + 1), "with too many items")
                }
            }
            switch type {
            case "integer", "number", "boolean", "array": with("not-a-\(type!)", "of the wrong type")
            case "string": with(12345, "of the wrong type")
            case "object":
                with("not-an-object", "of the wrong type")
                for (nested, broken) in violations(of: example[name] as? [String: Any] ?? [:], schema: property) {
                    with(broken, "→ \(nested)")
                    _ = cases.popLast().map { cases.append(("\(name).\(nested)", $0.1)) }
                }
            default: break
            }
        }
        return cases
    }
}
