# The constructs of the upstream templates/daemonset.yaml (chart v1.2.0) that write the fields the role's values
# set: `with` around podAnnotations, imagePullSecrets, nodeSelector, affinity, tolerations; toYaml of
# securityContext and resources; the image with the tag. Not the upstream file.
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nifcloud-cloud-controller-manager
spec:
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: nifcloud-cloud-controller-manager
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          env:
            - name: NIFCLOUD_REGION
              value: {{ required "NIFCLOUD region is required" .Values.nifcloud.region }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
      hostNetwork: true
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
