"""Remote code for the bidirectional LFM2 encoder fixture (loaded with trust_remote_code=True).

The LFM2.5 retrievers ship remote code of this shape (spec §4.6, gotcha 19): every attention layer is non-causal with
a pad-only additive mask, and the short conv is a centred depthwise conv1d(padding=L//2) truncated to T. Padded
positions are never zeroed before the conv (the trained behaviour). transformers 4.57 on PyPI has no
lfm2_bidirectional model, so the fixture carries this file, modelled on transformers'
models/lfm2_bidirectional/modular_lfm2_bidirectional.py.
"""
import torch
from torch import nn
from transformers.modeling_outputs import BaseModelOutputWithPast
from transformers.models.lfm2.configuration_lfm2 import Lfm2Config
from transformers.models.lfm2.modeling_lfm2 import Lfm2Model


class Lfm2BidirectionalShortConv(nn.Module):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.layer_idx = layer_idx
        self.L_cache = config.conv_L_cache
        self.conv = nn.Conv1d(config.hidden_size, config.hidden_size, kernel_size=self.L_cache,
                              groups=config.hidden_size, bias=config.conv_bias, padding=self.L_cache // 2)
        self.in_proj = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=config.conv_bias)
        self.out_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=config.conv_bias)

    def forward(self, hidden_states, **unused):
        seqlen = hidden_states.shape[1]
        B, C, x = self.in_proj(hidden_states).transpose(-1, -2).chunk(3, dim=-2)
        conv_out = self.conv(B * x)[..., :seqlen]
        return self.out_proj((C * conv_out).transpose(-1, -2).contiguous())


class Lfm2BidirectionalModel(Lfm2Model):
    config_class = Lfm2Config

    def __init__(self, config):
        super().__init__(config)
        for index, layer in enumerate(self.layers):
            if layer.is_attention_layer:
                layer.self_attn.is_causal = False
            else:
                layer.conv = Lfm2BidirectionalShortConv(config, index)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, position_ids=None, inputs_embeds=None, **kwargs):
        if inputs_embeds is None:
            inputs_embeds = self.embed_tokens(input_ids)
        batch, length = inputs_embeds.shape[:2]
        if position_ids is None:
            position_ids = torch.arange(length, device=inputs_embeds.device).unsqueeze(0)
        mask = None
        if attention_mask is not None:
            keep = attention_mask[:, None, None, :].bool()
            mask = torch.zeros(keep.shape, dtype=inputs_embeds.dtype, device=inputs_embeds.device)
            mask = mask.masked_fill(~keep, torch.finfo(inputs_embeds.dtype).min).expand(batch, 1, length, length)
        position_embeddings = self.pos_emb(inputs_embeds, position_ids)
        hidden = inputs_embeds
        for layer in self.layers[: self.config.num_hidden_layers]:
            hidden = layer(hidden, attention_mask=mask, position_ids=position_ids,
                           position_embeddings=position_embeddings)
        return BaseModelOutputWithPast(last_hidden_state=self.embedding_norm(hidden))
