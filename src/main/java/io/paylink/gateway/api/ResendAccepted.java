package io.paylink.gateway.api;

import java.util.List;

/** The 202 answer: which order and which channels Front Payment accepted the resend for. */
public record ResendAccepted(String orderUuid, List<String> channels) {
}
