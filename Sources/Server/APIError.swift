import Foundation
import HTTPTypes
import Hummingbird

/// An error as OpenAI-compatible clients expect it: `{"error":{"message","type","code"}}` with a matching status.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// `invalid_request_error`, `authentication_error`, `permission_error`, `not_found_error`, `server_error`…
    public let type: String
    public let code: String?
    public let message: String
    /// Extra response headers (`Retry-After` on a 429).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, type: String, code: String? = nil, _ message: String) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    static func invalidRequest(_ message: String, code: String? = nil) -> APIError {
        APIError(.badRequest, type: "invalid_request_error", code: code, message)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            let message: String
            let type: String
            let code: String?

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(code, forKey: .code)  // always present, null when there is none
            }

            enum CodingKeys: String, CodingKey { case message, type, code }
        }
        let error: Detail
    }

    var response: Response {
        var response = JSONResponse.make(Body(error: .init(message: message, type: type, code: code)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// Any error thrown while handling a request, as an API error: ours as they are, Hummingbird's (404, 405, 413…)
    /// with their status, anything else as a 500 that still says what failed.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            let type = switch error.status.code {
            case 401: "authentication_error"
            case 403: "permission_error"
            case 404: "not_found_error"
            case 400..<500: "invalid_request_error"
            default: "server_error"
            }
            return APIError(error.status, type: type, error.body ?? error.status.reasonPhrase)
        case let error as DecodingError:
            return .invalidRequest("the request body is not the JSON this endpoint expects: \(DecodingProblem.describe(error))")
        default:
            return APIError(.internalServerError, type: "server_error", String(describing: error))
        }
    }
}

/// A readable sentence for a `DecodingError` (the default description is a wall of Swift types).
enum DecodingProblem {
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "`" + keys.joined(separator: ".") + "`"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field `\(key.stringValue)`" + (context.codingPath.isEmpty ? "" : " in \(path(context))")
        case .typeMismatch(let type, let context):
            return "\(path(context)) should be \(Self.name(of: type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)) should be \(Self.name(of: type)), not null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON (\(context.debugDescription))" : "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
