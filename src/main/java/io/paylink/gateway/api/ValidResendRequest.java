package io.paylink.gateway.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** The conditional rules of a resend request; each broken rule is reported on its field. */
@Documented
@Constraint(validatedBy = ResendRequestValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidResendRequest {

    String message() default "invalid resend request";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
