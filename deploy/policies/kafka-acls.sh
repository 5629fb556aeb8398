#!/usr/bin/env bash
# Example Kafka ACLs, one principal per part of animegan-stream, for a cluster with an authorizer
# (e.g. StandardAuthorizer in KRaft) and authenticated clients (SASL or mTLS). Read it, adapt the
# principals and the bootstrap address to your cluster, then run it with an admin client config:
#
#   KAFKA_BOOTSTRAP=kafka-1:9093 ADMIN_CONFIG=admin.properties ./kafka-acls.sh
#
# It assumes the default topic prefix (--topic-prefix animegan.images.) and that an administrator
# creates the topics beforehand (kafka-topics.sh --create, partitions = ANIMEGAN_PARTITIONS): with
# these ACLs the services may not create topics, and their start-up check then only finds them.
# The services do not pass SASL/SSL client settings of their own yet; wire those in (or a proxy)
# before relying on this file.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP:?set KAFKA_BOOTSTRAP}"
config="${ADMIN_CONFIG:?set ADMIN_CONFIG (an admin client properties file)}"
acl() { kafka-acls.sh --bootstrap-server "$bootstrap" --command-config "$config" --add "$@"; }

images=animegan.images.
jobs=animegan.jobs.

# ---- ingest (HTTP API): writes uploads, runs the status app "animegan-ingest-status"
ingest=User:animegan-ingest
acl --allow-principal "$ingest" --operation Write --operation Describe --topic "${images}submitted"
# The status app folds all five image topics and writes job progress and completions.
for t in submitted faces stylized completed failed; do
  acl --allow-principal "$ingest" --operation Read --operation Describe --topic "${images}${t}"
done
acl --allow-principal "$ingest" --operation Read --operation Write --operation Describe --topic "${jobs}progress"
acl --allow-principal "$ingest" --operation Write --operation Describe --topic "${jobs}completed"
# Its consumer group, internal topics (changelogs, repartitions) and transactions (exactly_once_v2),
# all named after its application id.
acl --allow-principal "$ingest" --operation Read --group animegan-ingest-status --resource-pattern-type prefixed
acl --allow-principal "$ingest" --operation All --topic animegan-ingest-status- --resource-pattern-type prefixed
acl --allow-principal "$ingest" --operation Write --operation Describe \
    --transactional-id animegan-ingest-status- --resource-pattern-type prefixed

# ---- the stages: each reads its input, writes its output and failures, in its own transactions
stage_acls() {
  local principal=$1 app=$2 input=$3 output=$4
  acl --allow-principal "$principal" --operation Read --operation Describe --topic "${images}${input}"
  acl --allow-principal "$principal" --operation Write --operation Describe --topic "${images}${output}"
  acl --allow-principal "$principal" --operation Write --operation Describe --topic "${images}failed"
  # Records that cannot be deserialised go to the dead-letter topic (Kafka Streams' KIP-1034).
  acl --allow-principal "$principal" --operation Write --operation Describe --topic "${images}dead-letter"
  # The Kafka Streams application: consumer group, internal topics and transactional ids all start
  # with the application id (a stylize deployment limited with --styles uses "<id>.<styles>").
  acl --allow-principal "$principal" --operation Read --group "$app" --resource-pattern-type prefixed
  acl --allow-principal "$principal" --operation All --topic "${app}" --resource-pattern-type prefixed
  acl --allow-principal "$principal" --operation Write --operation Describe \
      --transactional-id "$app" --resource-pattern-type prefixed
}
stage_acls User:animegan-face-stage    animegan-face-stage    submitted faces
stage_acls User:animegan-stylize-stage animegan-stylize-stage faces     stylized
stage_acls User:animegan-blend-stage   animegan-blend-stage   stylized  completed

# ---- status consumers outside the service (integrators reading results)
status=User:animegan-status-reader
for t in completed failed; do
  acl --allow-principal "$status" --operation Read --operation Describe --topic "${images}${t}"
done
acl --allow-principal "$status" --operation Read --operation Describe --topic "${jobs}completed"
acl --allow-principal "$status" --operation Read --group animegan-status-reader --resource-pattern-type prefixed
