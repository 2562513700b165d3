ALTER TABLE forecasts DROP COLUMN other_notification;
