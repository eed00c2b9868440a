"""The official `openai` Python client against a running `ferret serve` (started by check_openai_client.sh with the
fixture models): list, chat, stream, text completion and errors, as a user's script would call them.
Usage: openai_client_check.py BASE_URL API_KEY"""
import sys

import openai

base, key = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base + "/v1", api_key=key, max_retries=0, timeout=60)
checks = 0


def check(condition, what):
    global checks
    if not condition:
        sys.exit(f"FAILED: {what}")
    checks += 1


models = [m.id for m in client.models.list().data]
check("lfm2-tiny" in models, f"models.list names the generator: {models}")

messages = [{"role": "user", "content": "Does the kettle switch off by itself?"}]
chat = client.chat.completions.create(model="lfm2-tiny", messages=messages, max_tokens=6)
choice = chat.choices[0]
check(isinstance(choice.message.content, str) and choice.message.content, "a chat answer has text")
check(choice.finish_reason in ("stop", "length"), f"finish_reason: {choice.finish_reason}")
check(chat.usage is not None and chat.usage.total_tokens == chat.usage.prompt_tokens + chat.usage.completion_tokens,
      f"usage adds up: {chat.usage}")
check(chat.usage.completion_tokens <= 6, "max_tokens is honoured")

bare = dict(model="lfm2-tiny", messages=messages, max_tokens=6, extra_body={"retrieval": {"enabled": False}})
whole = client.chat.completions.create(**bare)
stream = client.chat.completions.create(**bare, stream=True, stream_options={"include_usage": True})
pieces, last = [], None
for chunk in stream:
    last = chunk
    if chunk.choices and chunk.choices[0].delta.content:
        pieces.append(chunk.choices[0].delta.content)
check("".join(pieces) == whole.choices[0].message.content, "the streamed answer equals the whole one")
check(last is not None and last.usage is not None and last.usage.completion_tokens == whole.usage.completion_tokens,
      "stream_options.include_usage ends with the usage")
check(whole.choices[0].finish_reason == ("length" if whole.usage.completion_tokens == 6 else "stop"),
      "finish_reason is length exactly when max_tokens cut the answer")

text = client.completions.create(model="lfm2-tiny", prompt="The kettle", max_tokens=4)
check(text.object == "text_completion" and isinstance(text.choices[0].text, str), "completions.create answers")
check(text.usage.completion_tokens <= 4, "text completion usage")

try:
    client.chat.completions.create(model="lfm2-tiny", messages=messages, n=2)
    check(False, "n=2 is refused")
except openai.BadRequestError as error:
    check("`n`" in str(error), f"the 400 names the parameter: {error}")

try:
    openai.OpenAI(base_url=base + "/v1", api_key="wrong", max_retries=0).models.list()
    check(False, "a wrong key is refused")
except openai.AuthenticationError:
    check(True, "")

try:
    client.embeddings.create(model="lfm2-tiny", input="x")
    check(False, "embeddings are refused")
except openai.BadRequestError as error:
    check(error.code == "multi_vector_model", f"embeddings: {error.code} {error}")

print(f"openai {openai.__version__}: {checks} checks passed against {base}")
