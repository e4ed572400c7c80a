package io.paylink.gateway.tenant;

import java.util.Map;
import java.util.function.BinaryOperator;

import io.paylink.gateway.GatewayConfig.TenantConfig;

/**
 * Tenants from one place (environment and properties, or the tenants file), and how that place
 * spells a tenant's setting, so that a problem names what the operator has to edit.
 *
 * @param name the place, for a tenant configured in two of them
 * @param setting (tenant id, field such as {@code api-key-sha256}) to the setting's name there
 */
record TenantSource(String name, Map<String, ? extends TenantConfig> tenants, BinaryOperator<String> setting) {
}
