{{/*
The constructs of the upstream templates/controller.yaml and templates/node.yaml (chart v1.1.0) that write the
fields the role's values set. Not the upstream files: only those fields, in the same way (`with` around maps and
lists, toYaml, the flags built from the values).
*/}}
{{- define "test.pod" -}}
{{- $c := index .Values .component -}}
metadata:
  {{- with $c.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  nodeSelector:
    kubernetes.io/os: linux
    {{- with $c.nodeSelector }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $c.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  tolerations:
    {{- with $c.tolerations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  containers:
    - name: {{ if eq .component "controller" }}controller{{ else }}node-plugin{{ end }}
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args:
        - --endpoint=$(CSI_ENDPOINT)
        {{- if $c.sdkDebugLog }}
        - --nifcloud-sdk-debug-log=true
        {{- end }}
        {{- with $c.loggingFormat }}
        - --logging-format={{ . }}
        {{- end }}
        - --v={{ .Values.controller.logLevel }}
      env:
        - name: NIFCLOUD_REGION
          value: {{ .Values.nifcloud.region }}
        {{- with $c.extraEnv }}
        {{- . | toYaml | nindent 8 }}
        {{- end }}
      {{- with $c.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with (ternary .Values.controller.containerSecurityContext .Values.node.securityContext (eq .component "controller")) }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- range .sidecars }}
    {{- $s := index $.Values.sidecars .key }}
    - name: {{ .name }}
      image: {{ $s.image.repository }}:{{ $s.image.tag }}
      args:
        {{- if hasKey $s "logLevel" }}
        - --v={{ $s.logLevel }}
        {{- end }}
        {{- if eq .key "provisioner" }}
        - --default-fstype={{ $.Values.controller.defaultFsType }}
        {{- end }}
        {{- if hasKey $s "timeout" }}
        - --timeout={{ $s.timeout }}
        {{- end }}
      {{- with $s.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $s.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
{{- end -}}
