"""The starter handler `apigw init` writes: answers every route of the starter API.

`apigw serve api.yaml` runs it with the python3.12 runtime (any Python 3 on PATH does); it
needs only the standard library. REST and HTTP APIs send it an HTTP request event, WebSocket
APIs a message event.
"""
import json


def handler(event, context):
    request = event.get("requestContext") or {}
    if "connectionId" in request:
        # WebSocket: accept connections, echo messages back to the sender.
        if request.get("routeKey") in ("$connect", "$disconnect"):
            return {"statusCode": 200}
        return {"statusCode": 200, "body": json.dumps({"echo": event.get("body")})}
    name = (event.get("pathParameters") or {}).get("name", "world")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": f"Hello, {name}!"}),
    }
