"""Lambda handler behind the pets REST API (Lambda proxy integration, payload format 1.0).

Keeps the catalogue in memory, so each warm instance has its own; enough to exercise the API
locally. Needs only the Python standard library.
"""
import json
import time
import uuid

SPECIES = {"cat", "dog", "rabbit"}
PETS = {}


def respond(status, body=None, headers=None):
    response = {"statusCode": status, "headers": {"Content-Type": "application/json"}}
    response["headers"].update(headers or {})
    response["body"] = "" if body is None else json.dumps(body)
    return response


def error(status, message, event):
    request_id = event.get("requestContext", {}).get("requestId", "")
    return respond(status, {"message": message, "requestId": request_id})


def list_pets(event):
    query = event.get("queryStringParameters") or {}
    species = query.get("species")
    try:
        limit = int(query.get("limit", "20"))
        start = int(query.get("nextToken") or 0)
    except ValueError:
        return error(400, "limit and nextToken must be whole numbers", event)
    if not 1 <= limit <= 100 or start < 0:
        return error(400, "limit must be between 1 and 100, nextToken from a previous page", event)
    pets = sorted(PETS.values(), key=lambda pet: pet["listedAt"], reverse=True)
    if species:
        pets = [pet for pet in pets if pet["species"] == species]
    page = {"items": pets[start:start + limit]}
    if start + limit < len(pets):
        page["nextToken"] = str(start + limit)
    return respond(200, page)


def create_pet(event):
    try:
        new = json.loads(event.get("body") or "")
    except json.JSONDecodeError:
        return error(400, "the body is not JSON", event)
    # API Gateway validated the body against NewPet; this guards direct invocations.
    if not isinstance(new, dict) or new.get("species") not in SPECIES or not new.get("name"):
        return error(400, "a pet needs a name and a species (cat, dog or rabbit)", event)
    pet = dict(new, id=uuid.uuid4().hex[:12],
               listedAt=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    PETS[pet["id"]] = pet
    location = "/pets/" + pet["id"]
    return respond(201, pet, {"Location": location})


def get_pet(event, pet_id):
    pet = PETS.get(pet_id)
    return respond(200, pet) if pet else error(404, "no pet has the id " + pet_id, event)


def adopt_pet(event, pet_id):
    if PETS.pop(pet_id, None) is None:
        return error(404, "no pet has the id " + pet_id, event)
    return respond(204)


def lambda_handler(event, context):
    route = (event.get("httpMethod"), event.get("resource"))
    pet_id = (event.get("pathParameters") or {}).get("petId", "")
    if route == ("GET", "/pets"):
        return list_pets(event)
    if route == ("POST", "/pets"):
        return create_pet(event)
    if route == ("GET", "/pets/{petId}"):
        return get_pet(event, pet_id)
    if route == ("DELETE", "/pets/{petId}"):
        return adopt_pet(event, pet_id)
    return error(404, "no route for %s %s" % route, event)
