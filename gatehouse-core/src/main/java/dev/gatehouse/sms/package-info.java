/**
 * Text messages for SMS codes: the {@link dev.gatehouse.sms.SmsSender} SPI
 * ({@code SECURITY_SMS_SERVICE}), a logging sender for development, a Twilio adapter, and phone
 * numbers in E.164 ({@link dev.gatehouse.sms.PhoneNumbers}).
 */
package dev.gatehouse.sms;
